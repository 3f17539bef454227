// The ValidatingWebhookConfiguration and MutatingWebhookConfiguration that send our kinds to this
// webhook, made from the registry that serves them: one webhook per kind and mode, scoped to our API
// group, failing closed, with no side effects.
import { GROUP, VERSION, kindDefinition } from '@gko/api';
import { webhookName, webhookPath } from '../paths.ts';
import { ADMISSIONS } from '../registry.ts';
import type { WebhookMode } from '../admission/handle.ts';

export type ClientConfigTarget = { service: { namespace: string; name: string; port: number } } | { url: string };

export interface ConfigurationOptions {
  /** Name of both configurations. */
  name: string;
  target: ClientConfigTarget;
  /** PEM of the CA that signed the serving certificate (cert-manager's CA injector may fill it instead). */
  caBundle?: string;
  timeoutSeconds?: number;
  namespaceSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Record<string, unknown>[] };
  /**
   * The namespaces the webhook watches (its NAMESPACE setting): objects of other namespaces are not
   * sent to it, where they would be checked against a cache that does not hold their namespace.
   */
  namespaces?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const DEFAULT_TIMEOUT_SECONDS = 10;

function clientConfig(options: ConfigurationOptions, path: string): Record<string, unknown> {
  const ca = options.caBundle ? { caBundle: Buffer.from(options.caBundle).toString('base64') } : {};
  if ('url' in options.target) return { url: `${options.target.url.replace(/\/$/, '')}${path}`, ...ca };
  return { service: { ...options.target.service, path }, ...ca };
}

function webhooks(mode: WebhookMode, options: ConfigurationOptions): Record<string, unknown>[] {
  return ADMISSIONS.filter((a) => (mode === 'mutate' ? a.mutate && a.mutates?.length : a.validates.length)).map(
    (admission) => ({
      name: webhookName(mode, admission.kind),
      clientConfig: clientConfig(options, webhookPath(mode, admission.kind)),
      rules: [
        {
          apiGroups: [GROUP],
          apiVersions: [VERSION],
          resources: [kindDefinition(admission.kind)!.plural],
          operations: mode === 'mutate' ? admission.mutates : admission.validates,
          scope: 'Namespaced',
        },
      ],
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      timeoutSeconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      namespaceSelector: namespaceSelector(options),
      objectSelector: {},
      ...(mode === 'mutate' ? { reinvocationPolicy: 'Never' } : {}),
    }),
  );
}

/** The given selector, narrowed to the watched namespaces (by their kubernetes.io/metadata.name label). */
export function namespaceSelector(options: Pick<ConfigurationOptions, 'namespaceSelector' | 'namespaces'>) {
  const base = options.namespaceSelector ?? {};
  if (!options.namespaces?.length) return base;
  const watched = { key: 'kubernetes.io/metadata.name', operator: 'In', values: [...options.namespaces].sort() };
  return { ...base, matchExpressions: [...(base.matchExpressions ?? []), watched] };
}

export function webhookConfigurations(options: ConfigurationOptions): {
  validating: Record<string, unknown>;
  mutating: Record<string, unknown>;
} {
  const metadata = {
    name: options.name,
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  return {
    validating: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata,
      webhooks: webhooks('validate', options),
    },
    mutating: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata,
      webhooks: webhooks('mutate', options),
    },
  };
}

/** What the webhook reads, and nothing more: our kinds, and the Secrets and ConfigMaps they use. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export function webhookRbacRules(): PolicyRule[] {
  return [
    {
      apiGroups: [GROUP],
      resources: ADMISSIONS.map((a) => kindDefinition(a.kind)!.plural),
      verbs: ['get', 'list', 'watch'],
    },
    // Read one by one, when a request names them: never listed, never cached.
    { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get'] },
    // Whether a namespace is being deleted (delete guards step aside then).
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
  ];
}

/** With the Ingress controller: the Ingresses of a namespace, listed when one of its templates is deleted. */
export function webhookIngressRbacRules(): PolicyRule[] {
  return [{ apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['list'] }];
}
