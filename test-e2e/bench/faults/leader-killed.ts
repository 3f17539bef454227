// R3: two replicas with leader election at the program's default lease settings, the leader stopped
// in the middle of the creates: SIGKILLed during a thousand, then, in a second round, stopped
// gracefully while APIM takes 4 s to carry out each write, longer than the replica's grace period
// (its writes are cancelled on its side, and still carried out by APIM). Each time the other
// replica leads soon after the lease expires, no APIM object is ever written by two requests at
// once (the simulator counts a write until it is carried out, whoever still waits for it), and
// everything converges.
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest } from '@gko/kube';
import { createNamespace, startOperator, type RunningOperator } from '../../src/index.ts';
import { api, GV, untilReady } from '../support.ts';
import { applySecrets, createThroughOutages, deleteApis, figure, type Figure, type Scenario } from './scenario.ts';

const LEASE_SECONDS = 15;

interface Lease {
  spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
}

interface Round {
  label: string;
  signal: 'SIGKILL' | 'SIGTERM';
  count: number;
  apimLatencyMs: number;
  /** Extra settings of both replicas. */
  env?: Record<string, string>;
}

async function failover(scenario: Scenario, round: Round) {
  const { info, kube, simulator } = scenario;
  const ns = await createNamespace(info, 'faults-leader');
  scenario.namespaces.push(ns);
  await applySecrets(scenario, ns);
  // The Lease where an installation keeps it: in its own namespace, not in the one its objects are in
  // (which the suite deletes at the end, Lease and all).
  const leaseName = `lease-${ns}`;
  const lease = () =>
    apiRequest<Lease>(kube, {
      method: 'GET',
      path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${leaseName}`,
    }).catch(() => undefined);
  const env = {
    NAMESPACE: ns,
    DRIFT_REPAIR_PERIOD_SECONDS: '0',
    ENABLE_LEADER_ELECTION: 'true',
    LEADER_ELECTION_NAMESPACE: 'default',
    LEADER_ELECTION_ID: leaseName,
    LOGS_LEVEL: 'info',
    ...round.env,
  };
  const replicas: RunningOperator[] = [];
  for (const name of ['replica-a', 'replica-b']) {
    const replica = await startOperator(info, { form: 'javascript', name: `${ns}-${name}`, env });
    replicas.push(replica);
    scenario.operators.push(replica);
  }
  simulator.setFaults({ latencyMs: round.apimLatencyMs });
  const { count } = round;
  let stopped: Promise<{ at: number; leader: RunningOperator; lastRenew: number }> | undefined;
  await createThroughOutages(
    kube,
    `/apis/${GV}/namespaces/${ns}/apiv4definitions`,
    Array.from({ length: count }, (_, i) => api(ns, `failover-${i}`, { contextRef: { name: 'apim' } })),
    8,
    (created) => {
      if (created !== Math.round(count * 0.3) || stopped) return;
      stopped = (async () => {
        // With slow APIM, let the leader have writes on their way.
        if (round.apimLatencyMs > 1000) await sleep(round.apimLatencyMs / 2);
        const holder = (await lease())?.spec?.holderIdentity ?? '';
        const leader = replicas.find((r) => r.name === holder)!;
        scenario.metrics.push(await (await fetch(`${leader.metricsUrl}/metrics`)).text());
        const lastRenew = Date.parse((await lease())?.spec?.renewTime ?? '');
        const at = Date.now();
        await leader.stop(round.signal);
        return { at, leader, lastRenew };
      })();
    },
  );
  const stop = await stopped!;
  let takenOverAt: number;
  for (;;) {
    const holder = (await lease())?.spec?.holderIdentity;
    if (holder && holder !== stop.leader.name) {
      takenOverAt = Date.now();
      break;
    }
    if (Date.now() - stop.at > 120_000) throw new Error('no replica took the lease over within 2 minutes');
    await sleep(100);
  }
  const seconds = (await untilReady(kube, ns, count, 900_000)) / 1000;
  // Some deleted by the new leader, for the census.
  const deleted = Math.round(count * 0.2);
  const deleteSeconds = await deleteApis(
    scenario,
    ns,
    Array.from({ length: deleted }, (_, i) => `failover-${i}`),
  );
  simulator.clearFaults();
  const survivor = replicas.find((r) => r !== stop.leader)!;
  scenario.metrics.push(await (await fetch(`${survivor.metricsUrl}/metrics`)).text());
  const stored = [...simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.keys()].filter((h) =>
    h.startsWith(`${ns}-`),
  ).length;
  const leftToExpire = (await stop.leader.logs(2_000)).includes('leaving the lease to expire');
  return {
    afterExpiry: Math.round((takenOverAt - (stop.lastRenew + LEASE_SECONDS * 1000)) / 100) / 10,
    overlaps: simulator.writeOverlaps(),
    stored,
    expected: count - deleted,
    details: {
      apis: count,
      apimLatencyMs: round.apimLatencyMs,
      signal: round.signal,
      stoppedLeader: stop.leader.name,
      leaseLeftToExpire: leftToExpire,
      secondsFromStopToNewLeader: Math.round((takenOverAt - stop.at) / 100) / 10,
      secondsToAllReady: Math.round(seconds),
      deleteSeconds: Math.round(deleteSeconds),
    },
  };
}

export async function leaderKilled(
  scenario: Scenario,
): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const killed = await failover(scenario, {
    label: 'killed',
    signal: 'SIGKILL',
    count: scenario.apis,
    apimLatencyMs: 20,
  });
  // Few APIs: at 4 s a write, eight at a time, a thousand would take minutes.
  const graceful = await failover(scenario, {
    label: 'stopped while APIM is slow',
    signal: 'SIGTERM',
    count: 40,
    apimLatencyMs: 4_000,
    env: { SHUTDOWN_GRACE_SECONDS: '2' },
  });
  const figures: Figure[] = [];
  for (const [label, r] of [
    ['leader SIGKILLed', killed],
    ['leader stopped while APIM is slow', graceful],
  ] as const) {
    const overlapping = Object.keys(r.overlaps).length;
    figures.push(
      figure(`R3 ${label}: new leader, seconds after the lease expired`, r.afterExpiry, '<= 15', r.afterExpiry <= 15),
      figure(`R3 ${label}: objects written by two requests at once`, overlapping, '0', overlapping === 0),
      figure(`R3 ${label}: APIs in APIM (after some deletes)`, r.stored, `${r.expected}`, r.stored === r.expected),
    );
  }
  return {
    figures,
    details: { leaseSeconds: LEASE_SECONDS, killed: killed.details, graceful: graceful.details },
  };
}
