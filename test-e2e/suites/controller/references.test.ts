// What an API refers to reaches APIM: a changed ApiResource re-synchronises every API using it, a
// rotated context Secret re-synchronises the context's APIs with the new credentials, and a missing
// reference is named in ResolvedRefs until it appears, when the API converges on its own.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  apply,
  createNamespace,
  installCrds,
  kubectlOk,
  startOperator,
  waitReady,
  type RunningOperator,
} from '../../src/index.ts';
import { condition, context, credentials, eventually, manifest, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let operator: RunningOperator;
let ns = '';

const cache = (ttl: number) =>
  manifest('ApiResource', 'cache', { name: 'cache', type: 'cache', configuration: { timeToLiveSeconds: ttl } });
const stored = (name: string) => simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get(`${ns}-${name}`);
const putsOf = (name: string) =>
  simulator
    .requests()
    .filter((r) => r.method === 'PUT' && (r.body as { hrid?: string } | undefined)?.hrid === `${ns}-${name}`);

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator({
    users: [
      { username: 'admin', password: 'admin' },
      { username: 'rotated', password: 'n3w-s3cret' },
    ],
  });
  ns = await createNamespace(cluster, 'controller-refs');
  operator = await startOperator(cluster, { env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: '0' } });
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  expect((await apply(cluster, ns, [context('apim', simulator.url), cache(60)])).code).toBe(0);
  const uses = { resources: [{ ref: { name: 'cache' } }] };
  expect((await apply(cluster, ns, [v4Api('one', uses), v4Api('two', uses), v4Api('other')])).code).toBe(0);
  for (const name of ['one', 'two', 'other'])
    expect((await waitReady(cluster, ns, `apiv4definition/${name}`)).code).toBe(0);
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe('references of APIs', () => {
  it('inline the ApiResource, and a change of it reaches every API using it and no other', async () => {
    expect(stored('one')!.resources).toEqual([
      { name: 'cache', type: 'cache', configuration: { timeToLiveSeconds: 60 }, enabled: true },
    ]);
    simulator.clearRequests();
    expect((await apply(cluster, ns, cache(120))).code).toBe(0);
    for (const name of ['one', 'two'])
      await eventually(
        `the new resource in ${name}`,
        () =>
          (stored(name)!.resources?.[0]?.configuration as { timeToLiveSeconds?: number })?.timeToLiveSeconds === 120,
      );
    await new Promise((r) => setTimeout(r, 1000));
    expect(putsOf('one')).toHaveLength(1);
    expect(putsOf('two')).toHaveLength(1);
    expect(putsOf('other')).toHaveLength(0);
  });

  it('follow a rotation of the context Secret: the APIs are synchronised again with the new credentials', async () => {
    simulator.clearRequests();
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify(credentials('apim-credentials', 'rotated', 'n3w-s3cret')),
    });
    await eventually('every API re-synchronised by the new user', () =>
      ['one', 'two', 'other'].every((name) => putsOf(name).some((r) => r.caller === 'basic:rotated')),
    );
    expect(simulator.requests().filter((r) => r.caller === 'basic:admin')).toEqual([]);
  });

  it('name what is missing in ResolvedRefs, and converge once it appears', async () => {
    expect((await apply(cluster, ns, v4Api('early', { resources: [{ ref: { name: 'late' } }] }))).code).toBe(0);
    const missing = await eventually('ResolvedRefs=False', async () => {
      const c = await condition(cluster, ns, 'apiv4definition/early', 'ResolvedRefs');
      return c?.status === 'False' && c;
    });
    expect(missing.reason).toBe('RefNotFound');
    expect(missing.message).toContain(`ApiResource ${ns}/late does not exist`);
    expect(missing.message).toContain('spec.resources[0].ref');
    expect(stored('early')).toBeUndefined();

    expect(
      (await apply(cluster, ns, manifest('ApiResource', 'late', { name: 'late', type: 'cache', configuration: {} })))
        .code,
    ).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/early')).code).toBe(0);
    expect(stored('early')!.resources?.[0]?.name).toBe('late');
  });
});
