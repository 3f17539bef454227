// `gko validate PATH...`: the answer `kubectl apply` would get for each gravitee.io object of a set of
// manifests, before it reaches a cluster: the CRD's schema, defaults and CEL rules, then the webhook's
// rules against the other objects of the set. For pull requests and pipelines; see the README.
import { checkManifests, type ObjectReport } from '@gko/webhook/offline';
import { EXIT, parseCommandLine, UsageError, type CommandIo } from '../io.ts';
import type { Origin } from '../manifests.ts';
import { loadSources, SOURCE_OPTIONS, SOURCE_USAGE } from '../sources.ts';
import { jsonReport, textReport } from './report.ts';
import { sarifReport } from './sarif.ts';

export const VALIDATE_USAGE = `Usage: gko validate [options] PATH... (a file, a directory, or - for standard input)

Checks every gravitee.io object as kube-apiserver and the admission webhook would on create.
Exit status: 0 when every object would be admitted, 1 when one would be refused, 2 when the input
cannot be read.

Options:
${SOURCE_USAGE}
  --assume-present     take objects the input refers to but does not hold as present
  -o, --output FORMAT  text (default), json, or sarif
  --strict             warnings fail too (exit 1)
  -h, --help           this help`;

const OUTPUTS = ['text', 'json', 'sarif'] as const;

export async function runValidate(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...SOURCE_OPTIONS,
    'assume-present': { type: 'boolean', default: false },
    output: { type: 'string', short: 'o', default: 'text' },
    strict: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values['help']) {
    io.out(`${VALIDATE_USAGE}\n`);
    return EXIT.ok;
  }
  const output = String(values['output']);
  if (!OUTPUTS.includes(output as (typeof OUTPUTS)[number]))
    throw new UsageError(`--output ${output}: use one of ${OUTPUTS.join(', ')}`);
  const sources = await loadSources(values, positionals, io);
  const reports: ObjectReport<Origin>[] = await checkManifests(sources.items, {
    namespace: sources.namespace,
    assumePresent: !!values['assume-present'],
    present: sources.present,
    ...(sources.context ? { apimContext: sources.context } : {}),
    // Credentials and dry runs only: a check never changes APIM.
    clientOptions: { readOnly: true, timeoutMs: 10_000, maxAttempts: 2 },
  });
  const ignored = sources.items.length - reports.length;
  if (output === 'json') io.out(`${JSON.stringify(jsonReport(reports, ignored), null, 2)}\n`);
  else if (output === 'sarif') io.out(`${JSON.stringify(sarifReport(reports), null, 2)}\n`);
  else {
    const { lines, summary } = textReport(reports, ignored);
    if (lines.length > 0) io.out(`${lines.join('\n')}\n`);
    io.err(`${summary}\n`);
  }
  const refused = reports.some((r) => r.refusal !== undefined);
  const warned = reports.some((r) => r.findings.some((f) => f.severity === 'warning'));
  return refused || (values['strict'] && warned) ? EXIT.problems : EXIT.ok;
}
