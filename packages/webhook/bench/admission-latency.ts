// Benchmark: admission latency of a large v4 API without a context, at a steady request rate, over
// TLS on 127.0.0.1, with the webhook in a process of its own (as in a cluster); then the same with
// 10,000 APIs already in the namespace, whose p99 must stay within 1.2x. Writes a JSON report.
//   node packages/webhook/bench/admission-latency.ts [--rate 200] [--seconds 30] [--apis 10000] [--out .bench/admission-latency.json]
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { createCertificateAuthority } from '@gko/kube/pki';
import { largeApi } from './large-api.ts';
import { latencySummary, openLoop } from './open-loop.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    /** APIs already in the namespace for the second run: admission must not slow down with them. */
    apis: { type: 'string', default: '10000' },
    out: { type: 'string', default: join(import.meta.dirname, '..', '..', '..', '.bench', 'admission-latency.json') },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);

const dir = await mkdtemp(join(tmpdir(), 'gko-bench-'));
const ca = await createCertificateAuthority({ commonName: 'bench-ca', validityDays: 1 });
const serving = await ca.issue({ commonName: 'webhook', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
await writeFile(join(dir, 'tls.crt'), serving.certPem);
await writeFile(join(dir, 'tls.key'), serving.keyPem);

/** The webhook server in a process of its own, its lookups holding `apis` APIs; its port. */
async function serve(apis: number): Promise<{ port: number; child: ReturnType<typeof spawn> }> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'serve.ts'), join(dir, 'tls.crt'), join(dir, 'tls.key'), String(apis)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, GKO_TESTENV_PARENT_PID: String(process.pid) },
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { port: (JSON.parse(line) as { port: number }).port, child };
}
let server = await serve(0);

const api = largeApi('bench', 'large-api');
// Encoded once: the generator should cost as little as possible next to what it measures.
const body = Buffer.from(
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'bench',
      kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'ApiV4Definition' },
      operation: 'CREATE',
      name: 'large-api',
      namespace: 'bench',
      object: api,
      dryRun: false,
    },
  }),
);
const agent = new Agent({ connect: { ca: ca.certPem }, keepAliveTimeout: 30_000, connections: 16 });
const path = '/validate-gravitee-io-v1alpha1-apiv4definition';
let url = `https://127.0.0.1:${server.port}${path}`;

async function once_(): Promise<boolean> {
  const response = await request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    dispatcher: agent,
  });
  const answer = (await response.body.json()) as { response?: { allowed?: boolean } };
  return response.statusCode === 200 && answer.response?.allowed === true;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** A warm-up, then the measured run: its latency percentiles. */
async function measure() {
  await openLoop(rate, warmupSeconds, once_);
  const result = await openLoop(rate, seconds, once_);
  return { result, latencyMs: latencySummary(result.latencies) };
}

try {
  const empty = await measure();
  server.child.kill('SIGTERM');
  const apis = Number(values.apis);
  server = await serve(apis);
  url = `https://127.0.0.1:${server.port}${path}`;
  const loaded = await measure();
  const ratio = Math.round((loaded.latencyMs.p99 / empty.latencyMs.p99) * 100) / 100;
  const { result, latencyMs } = empty;
  const report = {
    benchmark: 'admission latency: large ApiV4Definition without a context',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    requestBytes: body.length,
    targetRatePerSecond: rate,
    achievedRatePerSecond: round(result.sent / result.elapsed),
    durationSeconds: seconds,
    requests: result.sent,
    errors: result.errors,
    latencyMs,
    targetP99Ms: 5,
    meetsTarget: result.errors === 0 && latencyMs.p99 <= 5,
    // The same API admitted into a namespace that already holds many: conflicts are looked up, not scanned.
    withApisInNamespace: {
      apis,
      errors: loaded.result.errors,
      latencyMs: loaded.latencyMs,
      p99RatioToEmpty: ratio,
      targetRatio: 1.2,
      meetsTarget: loaded.result.errors === 0 && ratio <= 1.2,
    },
  };
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  console.log(`written to ${values.out}`);
} finally {
  server.child.kill('SIGTERM');
  await agent.close();
  await rm(dir, { recursive: true, force: true });
}
