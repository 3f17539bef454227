// The life of a consumer: an application subscribes to an API_KEY plan with a key kept in a Secret.
// The subscription waits for what it needs, the key's rotation reaches APIM, the API cannot go while
// subscribed, and deleting the subscription closes it in APIM. Then: a subscription that reaches its
// end date, and an application whose certificate Secret upstream's operator had marked.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EnvironmentState, Simulator } from '@gko/apim-simulator';
import { apply, kubectl, kubectlOk, waitReady, type RunningOperator } from '../../src/index.ts';
import { condition, controllerWorld, eventually, events, getJson, manifest, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let operator: RunningOperator;
let ns = '';

const env = (): EnvironmentState => simulator.state.environment('DEFAULT', 'DEFAULT')!;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FIRST_KEY = 'k1-0123456789abcdef0123456789abcdef';
const SECOND_KEY = 'k2-fedcba9876543210fedcba9876543210';

const secret = (name: string, data: Record<string, string>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, ...metadata },
  stringData: data,
});
const shopApi = v4Api('shop-api', {
  plans: { keys: { name: 'Keys', security: { type: 'API_KEY' } } },
});
const application = (name: string, settings: Record<string, unknown> = { app: { type: 'web' } }) =>
  manifest('Application', name, { contextRef: { name: 'apim' }, name, description: `${name} app`, settings });
const subscription = (name: string, spec: Record<string, unknown> = {}) =>
  manifest('Subscription', name, { api: { name: 'shop-api' }, application: { name: 'buyer' }, plan: 'keys', ...spec });
const counter = async (resource: string) =>
  (await getJson<{ status: { subscriptions?: number } }>(cluster, ns, resource))?.status.subscriptions;
const stored = (name: string) => env().subscriptions.get(`${ns}-shop-api`)?.get(`${ns}-${name}`);

beforeAll(async () => {
  ({ simulator, operator, ns } = await controllerWorld(cluster, 'controller-consumer'));
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe('a consumer', () => {
  it('subscribes with a key from a Secret once the API, its plan and the application exist in APIM', async () => {
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify(secret('buyer-subscription-key', { 'api-key': FIRST_KEY })),
    });
    const keyed = subscription('buyer-keys', { apiKeys: [{ key: '[[ secret `buyer-subscription-key/api-key` ]]' }] });
    expect((await apply(cluster, ns, keyed)).code).toBe(0);
    const waiting = await eventually('ResolvedRefs=False', async () => {
      const refs = await condition(cluster, ns, 'subscription/buyer-keys', 'ResolvedRefs');
      return refs?.status === 'False' ? refs : undefined;
    });
    expect(waiting.message).toBe(`spec.api: ApiV4Definition ${ns}/shop-api does not exist`);

    expect((await apply(cluster, ns, [shopApi, application('buyer')])).code).toBe(0);
    const wait = await waitReady(cluster, ns, 'subscription/buyer-keys', '60s');
    expect(wait.stderr).toBe('');
    expect(wait.code).toBe(0);
    expect(stored('buyer-keys')).toMatchObject({
      applicationHrid: `${ns}-buyer`,
      planHrid: 'keys',
      apiKeys: [{ key: FIRST_KEY }],
    });
    const status = (await getJson<{ status: Record<string, unknown> }>(cluster, ns, 'subscription/buyer-keys'))!.status;
    expect(status).toMatchObject({ id: stored('buyer-keys')!.id, startedAt: stored('buyer-keys')!.startingAt });
    expect(JSON.stringify(status)).not.toContain(FIRST_KEY);
    await eventually(
      'the counters of the API and the application',
      async () => (await counter('apiv4definition/shop-api')) === 1 && (await counter('application/buyer')) === 1,
    );
  });

  it('sends the new key to APIM when the Secret changes', async () => {
    simulator.clearRequests();
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify(secret('buyer-subscription-key', { 'api-key': SECOND_KEY })),
    });
    await eventually('the new key in APIM', () => stored('buyer-keys')?.apiKeys?.[0]?.key === SECOND_KEY);
    await pause(1500);
    expect(simulator.requests().filter((r) => r.method !== 'GET')).toHaveLength(1);
  });

  it('keeps the API while it is subscribed; deleting the subscription closes it in APIM, then the API can go', async () => {
    expect((await kubectl(cluster, ['delete', '-n', ns, 'apiv4definition/shop-api', '--wait=false'])).code).toBe(0);
    const blocked = await eventually('a DeleteBlocked event', async () =>
      (await events(cluster, ns, 'shop-api')).find((e) => e.reason === 'DeleteBlocked'),
    );
    expect(blocked.note).toContain(`Subscription ${ns}/buyer-keys`);
    expect(env().apis.has(`${ns}-shop-api`)).toBe(true);

    simulator.clearRequests();
    expect(
      (await kubectl(cluster, ['delete', '-n', ns, 'subscription/buyer-keys', '--wait=true', '--timeout=30s'])).code,
    ).toBe(0);
    expect(stored('buyer-keys')).toBeUndefined();
    expect(env().closedSubscriptions.get(`${ns}-shop-api/${ns}-buyer-keys`)).toMatchObject({
      closedAt: expect.any(String) as unknown,
    });
    expect(simulator.requests().filter((r) => r.method === 'DELETE')[0]?.path).toContain(
      `/apis/${ns}-shop-api/subscriptions/${ns}-buyer-keys`,
    );
    await eventually('the API gone', async () => !(await getJson(cluster, ns, 'apiv4definition/shop-api')));
    expect(env().apis.has(`${ns}-shop-api`)).toBe(false);
    await eventually('the application counter back to 0', async () => (await counter('application/buyer')) === 0);
  });

  it('ends a subscription in APIM when its end date is reached, and says so', async () => {
    expect((await apply(cluster, ns, shopApi)).code).toBe(0);
    const endingAt = new Date(Date.now() + 8_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect((await apply(cluster, ns, subscription('until-soon', { endingAt }))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'subscription/until-soon', '60s')).code).toBe(0);
    expect(stored('until-soon')).toMatchObject({ endingAt });

    const ended = await eventually(
      'Ready with reason Ended',
      async () => {
        const ready = await condition(cluster, ns, 'subscription/until-soon');
        return ready?.reason === 'Ended' ? ready : undefined;
      },
      30_000,
    );
    expect(ended.status).toBe('True');
    expect(ended.message).toContain(endingAt);
    expect(stored('until-soon')).toBeUndefined();
    expect(env().closedSubscriptions.has(`${ns}-shop-api/${ns}-until-soon`)).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(endingAt));
  });
});

describe('an application certificate kept in a Secret upstream had marked', () => {
  const PEM = (n: number) => `-----BEGIN CERTIFICATE-----\nMIIB${n}\n-----END CERTIFICATE-----\n`;
  const marked = (n: number) =>
    secret(
      'partner-cert',
      { 'tls.crt': PEM(n) },
      {
        finalizers: ['finalizers.gravitee.io/templating'],
        annotations: { 'gravitee.io/applications': `["${ns}/partner"]`, 'gravitee.io/references': '1' },
      },
    );
  const partner = application('partner', {
    app: { type: 'web' },
    tls: { clientCertificates: [{ name: 'partner', ref: { name: 'partner-cert' } }] },
  });

  it('re-synchronises the application when the certificate changes', async () => {
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], { input: JSON.stringify(marked(1)) });
    expect((await apply(cluster, ns, partner)).code).toBe(0);
    expect((await waitReady(cluster, ns, 'application/partner')).code).toBe(0);
    const certificates = () => env().applications.get(`${ns}-partner`)?.settings?.tls?.clientCertificates;
    expect(certificates()).toEqual([{ name: 'partner', content: PEM(1) }]);

    simulator.clearRequests();
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], { input: JSON.stringify(marked(2)) });
    await eventually('the new certificate in APIM', () => certificates()?.[0]?.content === PEM(2));
    await pause(1500);
    expect(simulator.requests().filter((r) => r.method !== 'GET')).toHaveLength(1);
  });

  it('releases the finalizer and annotations of upstream when the last user is gone', async () => {
    const metadata = async () =>
      (
        await getJson<{ metadata: { finalizers?: string[]; annotations?: Record<string, string> } }>(
          cluster,
          ns,
          'secret/partner-cert',
        )
      )?.metadata;
    // Still used: upstream's marks stay.
    expect((await metadata())?.finalizers).toEqual(['finalizers.gravitee.io/templating']);
    expect((await kubectl(cluster, ['delete', '-n', ns, 'application/partner', '--wait=true'])).code).toBe(0);
    await eventually('the marks released', async () => {
      const current = await metadata();
      return !current?.finalizers?.length && !current?.annotations?.['gravitee.io/references'] ? current : undefined;
    });
    expect((await metadata())?.annotations?.['gravitee.io/applications']).toBeUndefined();
    // Nothing holds the Secret any more.
    expect(
      (await kubectl(cluster, ['delete', '-n', ns, 'secret/partner-cert', '--wait=true', '--timeout=20s'])).code,
    ).toBe(0);
  });
});
