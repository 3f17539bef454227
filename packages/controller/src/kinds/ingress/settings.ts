// How the Ingress controller is configured (ENABLE_INGRESS and the settings next to it).
import type { ObjectKey } from '../../reconcile/contract.ts';

export interface IngressSettings {
  /** The classes handled (INGRESS_CLASSES); Ingresses of any other class are never read further. */
  classes: string[];
  /** The ConfigMap (keys content, contentType) holding the body of the not-found response. */
  notFound?: ObjectKey;
  /** The gateway Service whose address is written to the status of each handled Ingress. */
  publishService?: ObjectKey;
  /** Fixed addresses written to the status instead. */
  publishAddresses?: string[];
}
