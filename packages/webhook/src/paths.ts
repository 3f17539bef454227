// Where each webhook is served: the paths the webhook configurations point kube-apiserver to.
import { GROUP, VERSION, kindDefinition } from '@gko/api';
import type { WebhookMode } from './admission/handle.ts';

export function webhookPath(mode: WebhookMode, kind: string): string {
  return `/${mode}-${GROUP.replace(/\./g, '-')}-${VERSION}-${kind.toLowerCase()}`;
}

/** The name of a kind's webhook within a configuration, e.g. validate.apiv4definitions.gravitee.io. */
export function webhookName(mode: WebhookMode, kind: string): string {
  return `${mode}.${kindDefinition(kind)?.plural ?? kind.toLowerCase()}.${GROUP}`;
}
