// An ApiDefinition annotated gravitee.io/template: "true" is a template for Ingresses: it is never
// deployed itself (no ConfigMap, no APIM), and while a handled Ingress names it, it holds a finalizer
// so that it cannot go away under them (the webhook also refuses the delete).
import type { ApiDefinition } from '@gko/api';
import { addFinalizer, GRAVITEE_RESOURCES, removeFinalizers, writeStatus } from '@gko/kube';
import type { ReconcileContext } from '../../reconcile/contract.ts';
import type { SyncedObject } from '../../sync/synchronizer.ts';
import type { Outcome } from '../../reconcile/result.ts';
import { applyVerdicts, ok, withProgress } from '../../status/conditions.ts';
import { removeLocalConfigMap } from '../../local-mode/deploy.ts';
import { templateUsers } from '../ingress/template-users.ts';

/** Upstream's name, so that templates it marked are released here. */
export const TEMPLATE_FINALIZER = 'finalizers.gravitee.io/apidefinitiontemplate';
const RESOURCE = GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiDefinition')!;
const DELETE_BLOCKED_RETRY_MS = 5_000;

type Template = ApiDefinition & SyncedObject;

function users(template: Template, context: ReconcileContext): string[] {
  try {
    return templateUsers(context.cache, template);
  } catch {
    // The cache follows no Ingress: the Ingress controller is off, and nothing can use a template.
    return [];
  }
}

/** An API that stopped being a template (its annotation removed) is not held as one any more. */
export async function releaseTemplateFinalizer(api: Template, context: ReconcileContext): Promise<void> {
  if (api.metadata.finalizers?.includes(TEMPLATE_FINALIZER))
    await removeFinalizers(context.kube, RESOURCE, api, [TEMPLATE_FINALIZER]);
}

/**
 * Reconciles a template; returns undefined when it is being deleted and nothing holds it any more, so
 * that the API's own clean-up runs (a template that was an API before may have been deployed).
 */
export async function reconcileTemplate(template: Template, context: ReconcileContext): Promise<Outcome | undefined> {
  const holders = users(template, context);
  const held = template.metadata.finalizers?.includes(TEMPLATE_FINALIZER) ?? false;
  if (template.metadata.deletionTimestamp) {
    if (holders.length > 0) {
      const message = `template ${template.metadata.namespace}/${template.metadata.name} is still used by ${holders.join(', ')}: it is deleted once they no longer name it`;
      await context.events.record(template, 'Warning', 'DeleteBlocked', message, 'Delete');
      return { kind: 'requeue', afterMs: DELETE_BLOCKED_RETRY_MS };
    }
    if (held) await removeFinalizers(context.kube, RESOURCE, template, [TEMPLATE_FINALIZER]);
    return undefined;
  }
  let current: Template = template;
  if (holders.length > 0 && !held)
    current = (await addFinalizer(context.kube, RESOURCE, template, TEMPLATE_FINALIZER)) ?? template;
  if (holders.length === 0 && held) await removeFinalizers(context.kube, RESOURCE, template, [TEMPLATE_FINALIZER]);
  const removed = await removeLocalConfigMap(context, current);
  if (removed) context.logger.info('a template is not deployed itself', { removed });
  const generation = current.metadata.generation;
  const message =
    holders.length > 0
      ? `template used by ${holders.length} Ingress${holders.length > 1 ? 'es' : ''}; not deployed itself`
      : 'template for Ingresses, used by none; not deployed itself';
  await writeStatus(context.kube, RESOURCE, current, {
    ...current.status,
    observedGeneration: generation,
    conditions: applyVerdicts(
      current.status?.conditions,
      withProgress({
        Ready: ok('Template', message),
        Accepted: ok('Accepted', 'a template is not validated as an API'),
      }),
      generation,
      context.now(),
    ),
  });
  return { kind: 'done' };
}
