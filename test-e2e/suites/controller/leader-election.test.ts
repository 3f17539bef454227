// Two controller processes: only the one holding the Lease reconciles; when it stops (gracefully, or
// killed), the other takes over and reconciles what changes next.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  apply,
  createNamespace,
  installCrds,
  kubectlOk,
  operatorUser,
  startOperator,
  waitReady,
  type RunningOperator,
} from '../../src/index.ts';
import { context, credentials, eventually, getJson, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let ns = '';
let kubeconfig = '';
const running: RunningOperator[] = [];

const env = () => ({
  NAMESPACE: ns,
  DRIFT_REPAIR_PERIOD_SECONDS: '0',
  ENABLE_LEADER_ELECTION: 'true',
  LEADER_ELECTION_NAMESPACE: ns,
  // Shorter than the defaults (15/10/2) so that a killed leader is replaced well within the test's
  // 15 s: the lease expires 8 s after the last renewal seen.
  LEADER_ELECTION_LEASE_DURATION_SECONDS: '8',
  LEADER_ELECTION_RENEW_DEADLINE_SECONDS: '5',
  LEADER_ELECTION_RETRY_PERIOD_SECONDS: '1',
});

async function start(name: string): Promise<RunningOperator> {
  const operator = await startOperator(cluster, { name: `${name}-${ns}`, env: env(), kubeconfig });
  running.push(operator);
  return operator;
}

const isLeader = async (o: RunningOperator) => o.process.isRunning() && (await o.metric('gko_controller_leader')) === 1;
const reconciles = (o: RunningOperator) => o.metric('gko_controller_reconciles_total', { kind: 'ApiV4Definition' });
const lease = async () =>
  (await getJson<{ spec: { holderIdentity?: string } }>(cluster, ns, 'lease/24d975d3.gravitee.io'))?.spec
    .holderIdentity;

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  ns = await createNamespace(cluster, 'controller-leader');
  kubeconfig = await operatorUser(cluster, `gko-controller-${ns}`);
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  expect((await apply(cluster, ns, context('apim', simulator.url))).code).toBe(0);
});
afterAll(async () => {
  await Promise.all(running.map((o) => o.stop()));
  await simulator?.stop();
});

describe('two controller processes', () => {
  let first: RunningOperator;
  let second: RunningOperator;

  it('reconcile only through the one holding the lease', async () => {
    first = await start('first');
    await eventually('a leader', () => isLeader(first));
    second = await start('second');
    expect((await apply(cluster, ns, v4Api('led'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/led')).code).toBe(0);
    expect(await isLeader(second)).toBe(false);
    expect(await reconciles(second)).toBe(0);
    expect(await reconciles(first)).toBeGreaterThan(0);
    expect(await lease()).toBe(first.name);
  });

  it('hand over at once when the leader stops gracefully', async () => {
    const stopped = Date.now();
    await first.stop('SIGTERM');
    await eventually('the second leading', () => isLeader(second), 10_000);
    expect(Date.now() - stopped).toBeLessThan(10_000);
    expect(await lease()).toBe(second.name);
    expect((await apply(cluster, ns, v4Api('after-handover'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/after-handover')).code).toBe(0);
  });

  it('hand over within 15 seconds when the leader is killed', async () => {
    const third = await start('third');
    expect(await isLeader(third)).toBe(false);
    const killed = Date.now();
    await second.stop('SIGKILL');
    await eventually('the third leading', () => isLeader(third), 15_000);
    expect(Date.now() - killed).toBeLessThan(15_000);
    expect((await apply(cluster, ns, v4Api('after-kill'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/after-kill')).code).toBe(0);
    // Never two reconciles of one key at once: the controller logs it if it happens.
    for (const o of running) expect(await o.logs(2000)).not.toContain('reconciled twice at once');
  });
});
