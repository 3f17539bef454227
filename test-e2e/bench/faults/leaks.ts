// R6: no secret leaked. The values the suite put in Secrets (credentials, a templated value), as they
// are and base64-encoded, searched for byte for byte in every log line the operators and the webhook
// wrote, every Event, the status of every object of ours, and every metrics page scraped.
import { readFile } from 'node:fs/promises';
import { kubectlOk } from '../../src/index.ts';
import { KINDS } from '@gko/api';
import { figure, type Figure, type Scenario } from './scenario.ts';

export async function secretLeaks(
  scenario: Scenario,
): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const values = Object.values(scenario.secrets);
  const needles = [...values, ...values.map((v) => Buffer.from(v).toString('base64'))];
  const logs = [
    ...(await Promise.all(scenario.operators.map((o) => readFile(o.process.logFile, 'utf8')))),
    ...scenario.webhookLogs,
  ].join('\n');
  const events = await kubectlOk(scenario.info, ['get', 'events.events.k8s.io,events', '-A', '-o', 'json']);
  const objects = JSON.parse(
    await kubectlOk(scenario.info, ['get', KINDS.map((k) => `${k.plural}.gravitee.io`).join(','), '-A', '-o', 'json']),
  ) as { items: { status?: unknown }[] };
  const statuses = JSON.stringify(objects.items.map((o) => o.status ?? {}));
  const metrics = scenario.metrics.join('\n');
  const found = (text: string) => needles.filter((n) => text.includes(n)).length;
  const sources = { logs, events, statuses, metrics };
  const figures = Object.entries(sources).map(([name, text]) => {
    const hits = found(text);
    return figure(`R6 secret values found in ${name}`, hits, '0', hits === 0);
  });
  return {
    figures,
    details: {
      searched: Object.fromEntries(Object.entries(sources).map(([name, text]) => [name, `${text.length} characters`])),
      values: values.length,
    },
  };
}
