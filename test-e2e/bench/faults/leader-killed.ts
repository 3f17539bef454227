// R3: two replicas with leader election at the program's default lease settings; the leader is
// SIGKILLed in the middle of a thousand creates. The other leads soon after the lease expires, no
// APIM object is ever written by two requests at once, and everything converges.
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest } from '@gko/kube';
import { createNamespace, startOperator, type RunningOperator } from '../../src/index.ts';
import { api, GV } from '../support.ts';
import {
  allReady,
  applySecrets,
  createThroughOutages,
  deleteApis,
  figure,
  type Figure,
  type Scenario,
} from './scenario.ts';

const LEASE_SECONDS = 15;

interface Lease {
  spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
}

export async function leaderKilled(
  scenario: Scenario,
): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const { info, kube, simulator } = scenario;
  const ns = await createNamespace(info, 'faults-leader');
  scenario.namespaces.push(ns);
  await applySecrets(scenario, ns);
  const leaseName = 'faults-leader';
  const lease = () =>
    apiRequest<Lease>(kube, {
      method: 'GET',
      path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${leaseName}`,
    }).catch(() => undefined);
  const env = {
    NAMESPACE: ns,
    DRIFT_REPAIR_PERIOD_SECONDS: '0',
    ENABLE_LEADER_ELECTION: 'true',
    LEADER_ELECTION_NAMESPACE: ns,
    LEADER_ELECTION_ID: leaseName,
    LOGS_LEVEL: 'info',
  };
  const replicas: RunningOperator[] = [];
  for (const name of ['replica-a', 'replica-b']) {
    const replica = await startOperator(info, { form: 'javascript', name: `${ns}-${name}`, env });
    replicas.push(replica);
    scenario.operators.push(replica);
  }
  simulator.setFaults({ latencyMs: 20 });
  const count = scenario.apis;
  let killed: Promise<{ at: number; leader: string; lastRenew: number }> | undefined;
  await createThroughOutages(
    kube,
    `/apis/${GV}/namespaces/${ns}/apiv4definitions`,
    Array.from({ length: count }, (_, i) => api(ns, `failover-${i}`, { contextRef: { name: 'apim' } })),
    8,
    (created) => {
      if (created !== Math.round(count * 0.3) || killed) return;
      killed = (async () => {
        const holder = (await lease())?.spec?.holderIdentity ?? '';
        const leader = replicas.find((r) => r.name === holder)!;
        scenario.metrics.push(await (await fetch(`${leader.metricsUrl}/metrics`)).text());
        const lastRenew = Date.parse((await lease())?.spec?.renewTime ?? '');
        const at = Date.now();
        await leader.stop('SIGKILL');
        return { at, leader: holder, lastRenew };
      })();
    },
  );
  const kill = await killed!;
  let takenOverAt: number;
  for (;;) {
    const holder = (await lease())?.spec?.holderIdentity;
    if (holder && holder !== kill.leader) {
      takenOverAt = Date.now();
      break;
    }
    if (Date.now() - kill.at > 120_000) throw new Error('no replica took the lease over within 2 minutes');
    await sleep(100);
  }
  const seconds = await allReady(kube, ns, count, 900_000);
  // Some deleted by the new leader, for the census.
  const deleteSeconds = await deleteApis(
    scenario,
    ns,
    Array.from({ length: Math.round(count * 0.2) }, (_, i) => `failover-${i}`),
  );
  simulator.clearFaults();
  const survivor = replicas.find((r) => r.name !== kill.leader)!;
  scenario.metrics.push(await (await fetch(`${survivor.metricsUrl}/metrics`)).text());
  const expiry = kill.lastRenew + LEASE_SECONDS * 1000;
  const afterExpiry = Math.round((takenOverAt - expiry) / 100) / 10;
  const overlaps = simulator.writeOverlaps();
  const stored = [...simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.keys()].filter((h) =>
    h.startsWith(`${ns}-`),
  ).length;
  const expected = count - Math.round(count * 0.2);
  return {
    figures: [
      figure('R3 new leader, seconds after the lease expired', afterExpiry, '<= 15', afterExpiry <= 15),
      figure(
        'R3 objects written by two requests at once',
        Object.keys(overlaps).length,
        '0',
        Object.keys(overlaps).length === 0,
      ),
      figure('R3 APIs in APIM after the failover (and some deletes)', stored, `${expected}`, stored === expected),
    ],
    details: {
      apis: count,
      leaseSeconds: LEASE_SECONDS,
      killedLeader: kill.leader,
      secondsFromKillToNewLeader: Math.round((takenOverAt - kill.at) / 100) / 10,
      secondsToAllReady: Math.round(seconds),
      deleteSeconds: Math.round(deleteSeconds),
      overlaps,
    },
  };
}
