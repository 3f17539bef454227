// APPLY_CRDS: brings the cluster's CustomResourceDefinitions of our kinds to the ones this program was
// built with, by server-side apply, before anything watches them. Helm installs the chart's CRDs on
// the first install but never upgrades them; an upgraded operator upgrades them itself.
import { apiRequest, type KubeConnection } from '@gko/kube';
import type { Logger } from '@gko/runtime';

export const CRD_FIELD_MANAGER = 'gko-operator';
const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** The CRDs of every kind, made from the same schemas as crds/ (loaded only when asked: they are heavy). */
export async function builtInCrds(): Promise<Record<string, unknown>[]> {
  const [{ KINDS }, { customResourceDefinition }] = await Promise.all([import('@gko/api'), import('@gko/api/crd')]);
  return KINDS.map((kind) => customResourceDefinition(kind));
}

interface Crd {
  metadata: { name: string; generation?: number };
  status?: { conditions?: { type: string; status: string }[]; observedGeneration?: number };
}

const established = (crd: Crd) =>
  crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;

/**
 * Applies each CRD (taking over the fields another manager, such as Helm, set), then waits until the
 * API server serves them. Throws with the CRD's name when one cannot be applied.
 */
export async function applyCrds(
  connection: KubeConnection,
  logger: Logger,
  options: { timeoutMs?: number; crds?: Record<string, unknown>[] } = {},
): Promise<void> {
  const crds = options.crds ?? (await builtInCrds());
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (const crd of crds) {
    const name = (crd as unknown as Crd).metadata.name;
    let applied: Crd;
    try {
      applied = await apiRequest<Crd>(connection, {
        method: 'PATCH',
        path: `${CRDS_PATH}/${name}`,
        query: { fieldManager: CRD_FIELD_MANAGER, force: true },
        contentType: 'application/apply-patch+yaml',
        body: crd,
      });
    } catch (error) {
      throw new Error(`cannot apply the CustomResourceDefinition ${name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    while (!established(applied)) {
      if (Date.now() > deadline)
        throw new Error(`the CustomResourceDefinition ${name} was applied but is not established`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      applied = await apiRequest<Crd>(connection, { method: 'GET', path: `${CRDS_PATH}/${name}` });
    }
  }
  logger.info('custom resource definitions applied', { count: crds.length });
}
