import { describe, expect, it } from 'vitest';
import { KINDS } from '@gko/api';
import { ADMISSIONS } from '../registry.ts';
import { webhookConfigurations, webhookRbacRules } from './webhook-configurations.ts';

/** The parts of a generated webhook entry the tests read. */
interface Webhook {
  name: string;
  rules: { operations: string[]; resources: string[] }[];
  clientConfig: unknown;
}

describe('the webhook configurations', () => {
  const { validating, mutating } = webhookConfigurations({
    name: 'gko',
    target: { service: { namespace: 'gko-system', name: 'gko-webhook', port: 443 } },
    caBundle: 'PEM',
  }) as unknown as Record<'validating' | 'mutating', { webhooks: Webhook[] }>;

  it('send every kind to its validating webhook, for the operations its rules cover', () => {
    expect(validating.webhooks.map((w) => w.rules[0]!.resources[0]).sort()).toEqual(KINDS.map((k) => k.plural).sort());
    const v4 = validating.webhooks.find((w) => w.name === 'validate.apiv4definitions.gravitee.io')!;
    expect(v4.rules[0]).toEqual({
      apiGroups: ['gravitee.io'],
      apiVersions: ['v1alpha1'],
      resources: ['apiv4definitions'],
      operations: ['CREATE', 'UPDATE', 'DELETE'],
      scope: 'Namespaced',
    });
    expect(v4.clientConfig).toEqual({
      service: {
        namespace: 'gko-system',
        name: 'gko-webhook',
        port: 443,
        path: '/validate-gravitee-io-v1alpha1-apiv4definition',
      },
      caBundle: Buffer.from('PEM').toString('base64'),
    });
  });

  it('fail closed, have no side effects, and stay under the API server timeout', () => {
    for (const webhook of [...validating.webhooks, ...mutating.webhooks]) {
      expect(webhook).toMatchObject({
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        matchPolicy: 'Equivalent',
        timeoutSeconds: 10,
      });
    }
  });

  it('mutate only the kinds that default something, on create and update', () => {
    expect(mutating.webhooks.map((w) => w.name)).toEqual(
      ADMISSIONS.filter((a) => a.mutate !== undefined).map(
        (a) => `mutate.${KINDS.find((k) => k.kind === a.kind)!.plural}.gravitee.io`,
      ),
    );
    for (const webhook of mutating.webhooks) expect(webhook.rules[0]!.operations).toEqual(['CREATE', 'UPDATE']);
  });

  it('point to a URL instead of a service when asked (webhooks running outside the cluster)', () => {
    const { validating: byUrl } = webhookConfigurations({
      name: 'x',
      target: { url: 'https://127.0.0.1:9443/' },
    }) as unknown as { validating: { webhooks: Webhook[] } };
    expect(byUrl.webhooks[0]!.clientConfig).toEqual({
      url: 'https://127.0.0.1:9443/validate-gravitee-io-v1alpha1-managementcontext',
    });
  });

  it('need only read access to our kinds, and to get Secrets and ConfigMaps one by one', () => {
    const rules = webhookRbacRules();
    expect(new Set(rules.flatMap((r) => r.verbs))).toEqual(new Set(['get', 'list', 'watch']));
    expect(rules.find((r) => r.resources.includes('secrets'))!.verbs).toEqual(['get']);
  });

  it('send only the watched namespaces to the webhook when it watches some', () => {
    const { validating } = webhookConfigurations({
      name: 'x',
      target: { url: 'https://127.0.0.1:9443/' },
      namespaceSelector: { matchLabels: { team: 'a' } },
      namespaces: ['team-b', 'team-a'],
    }) as unknown as { validating: { webhooks: { namespaceSelector: unknown }[] } };
    for (const webhook of validating.webhooks)
      expect(webhook.namespaceSelector).toEqual({
        matchLabels: { team: 'a' },
        matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] }],
      });
  });
});
