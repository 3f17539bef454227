// R4: the webhook under hostile input: thousands of generated AdmissionReviews (see reviews.ts) at a
// steady rate. No crash, no answer later than kube-apiserver waits, memory bounded, and every answer
// clear: a 400 (or 413) saying what is wrong with the request, or a verdict, whose denial names the
// field at fault.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'node:https';
import { RECOMMENDED_NODE_OPTIONS } from '@gko/operator';
import { webhookPath } from '@gko/webhook';
import { startWebhook } from '../../src/index.ts';
import { rssMiB } from '../support.ts';
import { CATEGORIES, hostileReview, seeded, type Category, type HostileReview } from './reviews.ts';
import { figure, type Figure, type Scenario } from './scenario.ts';

/** kube-apiserver's wait for the webhook (the chart's timeoutSeconds, and the program's default). */
const TIMEOUT_MS = 10_000;
const MEMORY_TARGET_MIB = 150;

/** One POST, given up after the timeout and a margin (an answer that late is a failure anyway). */
function post(url: string, agent: Agent, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' }, timeout: TIMEOUT_MS + 5_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
    req.end(body);
  });
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** Whether the answer is a clear one for this review, or why not. */
export function judge(review: HostileReview, answer: Answer | Error): string | undefined {
  if (answer instanceof Error) return `no answer: ${answer.message}`;
  if (answer.ms > TIMEOUT_MS) return `answered after ${Math.round(answer.ms)} ms`;
  let parsed: { error?: unknown; response?: { allowed?: unknown; status?: { message?: unknown } } };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return `status ${answer.status} with a body that is not JSON`;
  }
  if (answer.status === 400 || answer.status === 413)
    return typeof parsed.error === 'string' && parsed.error.length > 0
      ? undefined
      : `${answer.status} without a reason`;
  if (answer.status !== 200) return `status ${answer.status}: ${answer.body.slice(0, 200)}`;
  const allowed = parsed.response?.allowed;
  if (typeof allowed !== 'boolean') return 'a 200 without a verdict';
  if (review.category === 'invalid-object' && allowed) return `allowed an object broken at ${review.field}`;
  if (review.category === 'valid' && !allowed)
    return `denied a valid object: ${String(parsed.response?.status?.message)}`;
  if (allowed) return undefined;
  const raw = parsed.response?.status?.message;
  const message = typeof raw === 'string' ? raw : '';
  const field = review.field ?? 'spec.';
  return message.includes(field) ? undefined : `a denial that does not name ${field}: ${message.slice(0, 200)}`;
}

export async function hostileAdmission(
  scenario: Scenario,
  options: { reviews: number; perSecond: number; seed: number; categories?: Category[] },
): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  // As the image runs it (NODE_OPTIONS set there).
  const webhook = await startWebhook(scenario.info, {
    form: 'javascript',
    env: { LOGS_LEVEL: 'info', NODE_OPTIONS: RECOMMENDED_NODE_OPTIONS },
  });
  // The bench trusts the webhook's certificate as kube-apiserver would through its caBundle.
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: true, maxSockets: 64 });
  const url = `https://127.0.0.1:${webhook.port}${webhookPath('validate', 'ApiV4Definition')}`;
  await sleep(5_000);
  const idleRss = await rssMiB(webhook.process.pid);
  const random = seeded(options.seed);
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, { sent: 0, clear: 0 }])) as Record<
    Category,
    { sent: number; clear: number }
  >;
  const unclear: { category: Category; why: string }[] = [];
  const latencies: number[] = [];
  let peakRss = 0;
  const sampler = setInterval(
    () =>
      void rssMiB(webhook.process.pid).then(
        (rss) => (peakRss = Math.max(peakRss, rss)),
        () => undefined,
      ),
    500,
  );
  const send = async (review: HostileReview) => {
    const started = performance.now();
    let answer: Answer | Error;
    try {
      const { status, body } = await post(url, agent, review.body);
      answer = { status, body, ms: performance.now() - started };
      latencies.push(answer.ms);
    } catch (error) {
      answer = error as Error;
    }
    const stats = byCategory[review.category];
    stats.sent++;
    const why = judge(review, answer);
    if (why === undefined) stats.clear++;
    else if (unclear.length < 50) unclear.push({ category: review.category, why });
    else unclear.length++;
  };
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const interval = 1000 / options.perSecond;
  try {
    for (let i = 0; i < options.reviews; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(send(hostileReview(i, random, options.categories)));
    }
    await Promise.all(pending);
  } finally {
    clearInterval(sampler);
  }
  const running = webhook.process.isRunning();
  peakRss = Math.max(peakRss, await rssMiB(webhook.process.pid).catch(() => 0));
  const logs = await webhook.logs();
  await webhook.stop();
  agent.destroy();
  scenario.webhookLogs.push(logs);
  latencies.sort((a, b) => a - b);
  const unclearCount = Object.values(byCategory).reduce((n, s) => n + s.sent - s.clear, 0);
  const maxMs = Math.round(latencies.at(-1) ?? 0);
  return {
    figures: [
      figure('R4 webhook still running after the hostile reviews', String(running), 'true', running),
      figure('R4 answers that are not a clear 400 or verdict', unclearCount, '0', unclearCount === 0),
      figure('R4 slowest answer (ms)', maxMs, `< ${TIMEOUT_MS}`, maxMs < TIMEOUT_MS),
      figure('R4 webhook resident memory, peak (MiB)', peakRss, `< ${MEMORY_TARGET_MIB}`, peakRss < MEMORY_TARGET_MIB),
    ],
    details: {
      reviews: options.reviews,
      perSecond: options.perSecond,
      seed: options.seed,
      categories: options.categories ?? CATEGORIES,
      seconds: Math.round((performance.now() - started) / 1000),
      byCategory,
      idleRssMiB: idleRss,
      p50Ms: Math.round(latencies[Math.floor(latencies.length * 0.5)] ?? 0),
      p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
      maxMs,
      unclearExamples: unclear.slice(0, 20),
    },
  };
}
