// The fault suite: the operator judged by what goes wrong, against a real control plane and the APIM
// simulator, written as JSON to .bench/faults.json with each figure next to its target (a figure
// that misses its target is reported as such). Not a timed test: `pnpm bench:faults`.
//   node test-e2e/bench/faults.ts [--apis 1000] [--reviews 10000] [--rate 100] [--seed 7] [--only r1,r2,r3,r4]
//
// R4 hostile admission reviews (first, against a webhook whose cache is still small), R1 APIM faults,
// R2 kube-apiserver restarts (and 410 Gone), R3 the leader SIGKILLed; after R1-R3 a census (R5:
// nothing left behind), and at the end a search for the secret values in everything the operator
// wrote or exposed (R6).
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '@gko/apim-simulator';
import { loadKubeConnection } from '@gko/kube';
import { installCrds, repoRoot, startControlPlane, startControllerManager } from '../src/index.ts';
import { apimFaults } from './faults/apim-faults.ts';
import { apiServerRestart } from './faults/api-server-restart.ts';
import { census, namespacesDeleted } from './faults/census.ts';
import { hostileAdmission } from './faults/hostile-admission.ts';
import { leaderKilled } from './faults/leader-killed.ts';
import { secretLeaks } from './faults/leaks.ts';
import type { Category } from './faults/reviews.ts';
import type { Figure, Scenario } from './faults/scenario.ts';

const { values } = parseArgs({
  options: {
    apis: { type: 'string', default: '1000' },
    reviews: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '100' },
    seed: { type: 'string', default: '7' },
    only: { type: 'string', default: 'r1,r2,r3,r4' },
    // R4 only: the kinds of hostile reviews sent (default: all, in turn; see faults/reviews.ts).
    categories: { type: 'string' },
    out: { type: 'string', default: join(repoRoot, '.bench', 'faults.json') },
  },
});
const only = new Set(values.only.split(','));
const started = performance.now();

const controlPlane = await startControlPlane();
const secrets = {
  password: `pw-${randomBytes(12).toString('hex')}`,
  token: `tk-${randomBytes(12).toString('hex')}`,
};
const simulator = await startSimulator({ users: [{ username: 'admin', password: secrets.password }] });
const scenario: Scenario = {
  controlPlane,
  info: controlPlane.info,
  kube: await loadKubeConnection(controlPlane.info.kubeconfig),
  simulator,
  secrets,
  operators: [],
  metrics: [],
  webhookLogs: [],
  namespaces: [],
  apis: Number(values.apis),
};
const figures: Figure[] = [];
const details: Record<string, unknown> = {};

/** Keeps the figures, and prints each next to its target. */
function report(found: Figure[]): void {
  figures.push(...found);
  for (const f of found) console.log(`  ${f.met ? 'met   ' : 'MISSED'} ${f.name}: ${f.value} (target ${f.target})`);
}

/** Runs one scenario, then the census over the namespaces it used. */
async function run(
  key: string,
  label: string,
  work: () => Promise<{ figures: Figure[]; details: Record<string, unknown> }>,
) {
  if (!only.has(key)) return;
  const before = scenario.namespaces.length;
  const scenarioStarted = performance.now();
  console.log(`${label}...`);
  const result = await work();
  report(result.figures);
  const used = scenario.namespaces.slice(before);
  if (used.length > 0) report(await census(scenario, label, used));
  details[key] = { ...result.details, seconds: Math.round((performance.now() - scenarioStarted) / 1000) };
}

// Garbage collection and namespace deletion, as in a cluster.
const controllerManager = await startControllerManager(controlPlane.info);
try {
  await installCrds(controlPlane.info);
  // The webhook first, while its cache is small: its figure is what hostile input costs (what a full
  // cache costs is the scale benchmark's).
  await run('r4', 'hostile admission', () =>
    hostileAdmission(scenario, {
      reviews: Number(values.reviews),
      perSecond: Number(values.rate),
      seed: Number(values.seed),
      ...(values.categories ? { categories: values.categories.split(',') as Category[] } : {}),
    }),
  );
  await run('r1', 'APIM faults', () => apimFaults(scenario));
  await run('r2', 'kube-apiserver restarts', () => apiServerRestart(scenario));
  await run('r3', 'leader killed', () => leaderKilled(scenario));
  // The search first, while every Event and status is still there.
  console.log('secret values...');
  const leaks = await secretLeaks(scenario);
  report(leaks.figures);
  details['r6'] = leaks.details;
  // Then the namespaces of APIs with a context deleted whole, as a team leaving would.
  const withContext = scenario.namespaces.filter((n) => /^faults-(apim|leader)-/.test(n));
  if (withContext.length > 0) {
    console.log('namespaces deleted...');
    const deleted = await namespacesDeleted(scenario, withContext);
    report(deleted.figures);
    details['namespacesDeleted'] = deleted.details;
  }
} finally {
  for (const operator of scenario.operators) await operator.stop().catch(() => undefined);
  await simulator.stop();
  await scenario.kube.close();
  await controllerManager.stop();
  await controlPlane.stop();
}

const missed = figures.filter((f) => !f.met);
const results = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  settings: { apis: scenario.apis, reviews: Number(values.reviews), perSecond: Number(values.rate), only: [...only] },
  seconds: Math.round((performance.now() - started) / 1000),
  figures,
  missed: missed.length,
  details,
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`${figures.length - missed.length} of ${figures.length} figures within target; written to ${values.out}`);
