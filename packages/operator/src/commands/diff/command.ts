// `gko diff --context NAME PATH...`: what applying the manifests would change in the APIM of one
// context, per object: create, update (the fields of APIM's body that differ) or no change. Found
// with the controllers' own plans and comparison, reading APIM only. Exit status 2 when something
// would change, 1 when something cannot be previewed, 0 otherwise.
import { previewChanges, type ObjectPreview } from '@gko/controller';
import { checkManifests, referencedObjects } from '@gko/webhook/offline';
import { parseCommandLine, plural, UsageError, type CommandIo } from '../io.ts';
import type { Origin } from '../manifests.ts';
import { loadSources, SOURCE_OPTIONS, SOURCE_USAGE } from '../sources.ts';

export const DIFF_USAGE = `Usage: gko diff --context NAME [options] PATH... (a file, a directory, or - for standard input)

Previews what applying the manifests would change in the APIM of a ManagementContext: for each
object, create, update (with the fields that differ) or no change. Only reads from APIM.
Exit status: 0 when nothing would change, 2 when something would, 1 when an object cannot be
previewed (refused at admission, APIM unreachable...) or the input cannot be read.

Options:
${SOURCE_USAGE} (required)
  -o, --output FORMAT  text (default) or json
  -h, --help           this help`;

export const DIFF_EXIT = { same: 0, failed: 1, changes: 2 } as const;

/** A preview, or an object refused at admission (not previewed). */
type Entry = Omit<ObjectPreview, 'action'> & { action: ObjectPreview['action'] | 'invalid'; origin?: Origin };

const describe = (e: Entry): string => {
  const what = `${e.kind} ${e.namespace}/${e.name}`;
  switch (e.action) {
    case 'create':
      return `${what}: create`;
    case 'update':
      return `${what}: update ${(e.fields ?? []).join(', ')}`;
    case 'none':
      return `${what}: no change`;
    case 'outside':
      return `${what}: not previewed, ${e.reason ?? ''}`;
    default:
      return `${what}: cannot be previewed: ${e.reason ?? ''}`;
  }
};

export async function runDiff(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...SOURCE_OPTIONS,
    output: { type: 'string', short: 'o', default: 'text' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values['help']) {
    io.out(`${DIFF_USAGE}\n`);
    return DIFF_EXIT.same;
  }
  const output = String(values['output']);
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output ${output}: use text or json`);
  if (typeof values['context'] !== 'string') throw new UsageError('--context is required: the APIM to compare with');
  const sources = await loadSources(values, positionals, io);
  // The objects as the cluster would store them; APIM is not asked here, and what the input does
  // not hold is taken as present (the preview says when it matters).
  const reports = await checkManifests(sources.items, {
    namespace: sources.namespace,
    assumePresent: true,
    present: sources.present,
  });
  const entries: Entry[] = reports
    .filter((r) => r.refusal !== undefined)
    .map((r) => ({
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      action: 'invalid' as const,
      reason: `refused at admission (see gko validate): ${r.refusal ?? ''}`,
      ...(r.origin ? { origin: r.origin } : {}),
    }));
  const admitted = reports.filter((r) => r.refusal === undefined && r.stored);
  // Secrets and ConfigMaps of the input (credentials, template sources) are read as the cluster would hold them.
  const others = referencedObjects(sources.items, sources.namespace);
  const previews = await previewChanges({
    objects: [...others, ...admitted.map((r) => r.stored!)],
    present: sources.present,
    context: sources.context!,
  });
  const originOf = (p: ObjectPreview) =>
    admitted.find((r) => r.kind === p.kind && r.namespace === p.namespace && r.name === p.name)?.origin;
  for (const p of previews) {
    const origin = originOf(p);
    entries.push({ ...p, ...(origin ? { origin } : {}) });
  }
  const count = (action: Entry['action']) => entries.filter((e) => e.action === action).length;
  const summary = {
    create: count('create'),
    update: count('update'),
    none: count('none'),
    outside: count('outside'),
    failed: count('unknown') + count('invalid'),
  };
  if (output === 'json') {
    const objects = entries.map(({ origin, ...e }) => ({
      ...e,
      ...(origin ? { file: origin.file, line: origin.line } : {}),
    }));
    io.out(`${JSON.stringify({ objects, summary }, null, 2)}\n`);
  } else {
    if (entries.length > 0) io.out(`${entries.map(describe).join('\n')}\n`);
    io.err(
      `${plural(entries.length, 'object')}: ${summary.create} to create, ${summary.update} to update, ${summary.none} unchanged` +
        `${summary.outside ? `, ${summary.outside} not previewed` : ''}${summary.failed ? `, ${summary.failed} cannot be previewed` : ''}\n`,
    );
  }
  if (summary.failed > 0) return DIFF_EXIT.failed;
  return summary.create + summary.update > 0 ? DIFF_EXIT.changes : DIFF_EXIT.same;
}
