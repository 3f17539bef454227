// What applying a set of objects would change in APIM, found the way the controllers find drift: each
// kind's own plan (the same mapping, templates and fingerprint) compared with what APIM holds, read
// through a client that refuses to send anything but reads. Nothing is written anywhere: no APIM
// call that changes something, no status, no Event.
import type { KubernetesObject } from '@kubernetes/client-node';
import { grantedData, type KubeConnection } from '@gko/kube';
import { ApimClientPool, type ClientOptions, type ContextObject } from '@gko/mapi';
import { redactText, silentLogger, stableHash } from '@gko/runtime';
import { installDependencyIndexes } from '../dependencies/users.ts';
import { apiDefinitionSync } from '../kinds/api-definition/reconcile.ts';
import { apiV4DefinitionSync } from '../kinds/api-v4-definition/reconcile.ts';
import { applicationSync } from '../kinds/application/reconcile.ts';
import { dictionarySync } from '../kinds/dictionary/reconcile.ts';
import { documentationSync } from '../kinds/documentation/reconcile.ts';
import { groupSync } from '../kinds/group/reconcile.ts';
import { portalSync } from '../kinds/portal/reconcile.ts';
import { portalLinkSync } from '../kinds/portal-link/reconcile.ts';
import { portalListingSync } from '../kinds/portal-listing/reconcile.ts';
import { sharedPolicyGroupSync } from '../kinds/shared-policy-group/reconcile.ts';
import { subscriptionSync } from '../kinds/subscription/reconcile.ts';
import { isLocalDifference } from '../local-mode/deploy.ts';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { isMissingFromApim } from '../sync/compare.ts';
import { installIdentityIndexes } from '../sync/identity.ts';
import type { KindSync, SyncedObject } from '../sync/synchronizer.ts';
import { PreviewCache } from './preview-cache.ts';

/** The kinds with a copy in APIM, by the sync the controllers run for them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const PREVIEWED: Record<string, KindSync<any, any>> = {
  ApiDefinition: apiDefinitionSync,
  ApiV4Definition: apiV4DefinitionSync,
  Application: applicationSync,
  Subscription: subscriptionSync,
  SharedPolicyGroup: sharedPolicyGroupSync,
  Group: groupSync,
  Dictionary: dictionarySync,
  Portal: portalSync,
  PortalLink: portalLinkSync,
  PortalListing: portalListingSync,
  Documentation: documentationSync,
};

export const PREVIEWED_KINDS = Object.keys(PREVIEWED);

/**
 * create: APIM has no copy; update: these top-level fields of APIM's copy differ; none: APIM holds it
 * as declared; outside: synchronised through another context (or none), not previewed; unknown: it
 * cannot be said, see `reason` (a reference not in APIM yet, APIM unreachable...).
 */
export type PreviewAction = 'create' | 'update' | 'none' | 'outside' | 'unknown';

export interface ObjectPreview {
  kind: string;
  namespace: string;
  name: string;
  action: PreviewAction;
  /** For an update: the fields of APIM's body that would change. */
  fields?: string[];
  reason?: string;
  /** The hash the controllers would record as status.syncHash. */
  syncHash?: string;
  /** With the cluster's copy read: whether its status.syncHash already says this (the controllers would only verify). */
  clusterInSync?: boolean;
}

/** An object as read from manifests or the API server. */
export interface PreviewObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

export interface PreviewOptions {
  /** The objects to apply, as the cluster would store them (defaults applied). */
  objects: PreviewObject[];
  /** What the cluster holds besides (read beforehand, read-only); the objects above replace theirs. */
  present?: PreviewObject[];
  /** The context whose APIM is previewed; objects synchronised through another are `outside`. */
  context: { namespace: string; name: string };
  clientOptions?: ClientOptions;
  /** Replace [[ secret ]] and [[ configmap ]] markers, as the controllers do by default. */
  templating?: boolean;
  now?: () => Date;
}

class OutsideContext extends Error {
  override name = 'OutsideContext';
}

const nothingThere = (what: string) => () => {
  throw new Error(`a preview does not use ${what}`);
};

export async function previewChanges(options: PreviewOptions): Promise<ObjectPreview[]> {
  const objects = options.objects as KubernetesObject[];
  const present = (options.present ?? []) as KubernetesObject[];
  const cache = new PreviewCache([...present, ...objects]);
  installDependencyIndexes(cache);
  installIdentityIndexes(cache);
  const readSecret = (namespace: string, name: string, from: string) =>
    grantedData(cache.get('Secret', namespace, name), namespace, from);
  // Reads only: the transport refuses, unsent, any call that could change APIM.
  const pool = new ApimClientPool(
    { timeoutMs: 10_000, maxAttempts: 2, ...options.clientOptions, readOnly: true },
    readSecret,
  );
  const wanted = options.context;
  const context: ReconcileContext = {
    logger: silentLogger,
    cache,
    kube: {
      server: '',
      headers: nothingThere('the API server'),
      dispatcher: undefined,
      close: async () => {},
    } as unknown as KubeConnection,
    events: { record: nothingThere('Events') },
    settings: { templating: options.templating ?? true, driftPeriodMs: 0 },
    apim(contextObject: ContextObject) {
      const { namespace, name } = contextObject.metadata;
      if (namespace !== wanted.namespace || name !== wanted.name)
        throw new OutsideContext(`synchronised through ManagementContext ${namespace}/${name}`);
      return pool.forContext(contextObject);
    },
    verifyRemote: true,
    now: options.now ?? (() => new Date()),
  };
  try {
    const previews: ObjectPreview[] = [];
    for (const object of objects) {
      const sync = PREVIEWED[object.kind ?? ''];
      if (sync) previews.push(await previewOne(sync, object as SyncedObject, context, present));
    }
    return previews;
  } finally {
    await pool.close();
  }
}

async function previewOne(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  sync: KindSync<any, any>,
  object: SyncedObject,
  context: ReconcileContext,
  present: KubernetesObject[],
): Promise<ObjectPreview> {
  const kind = object.kind ?? '';
  const namespace = object.metadata.namespace ?? '';
  const name = object.metadata.name ?? '';
  const preview: ObjectPreview = { kind, namespace, name, action: 'unknown' };
  let secrets: string[] | undefined;
  try {
    const plan = sync.plan(object, context);
    secrets = plan.secrets;
    preview.syncHash = stableHash(plan.fingerprint);
    const inCluster = present.find(
      (o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name,
    ) as SyncedObject | undefined;
    if (inCluster) preview.clusterInSync = inCluster.status?.syncHash === preview.syncHash;
    let consulted = false;
    const counting: ReconcileContext = {
      ...context,
      apim: (c, o) => {
        const client = context.apim(c, o);
        consulted = true;
        return client;
      },
    };
    const differences = (await sync.compare!(object, plan, counting, 'drift')).filter((d) => !isLocalDifference(d));
    if (!consulted) return { ...preview, action: 'outside', reason: 'synchronised with no ManagementContext' };
    if (differences.some(isMissingFromApim)) return { ...preview, action: 'create' };
    return differences.length > 0
      ? { ...preview, action: 'update', fields: differences }
      : { ...preview, action: 'none' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof OutsideContext) return { ...preview, action: 'outside', reason: message };
    return { ...preview, reason: secrets?.length ? redactText(message, secrets) : message };
  }
}
