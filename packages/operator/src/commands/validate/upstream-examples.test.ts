// Upstream's example directories, each checked as one set, the way a team would keep them in Git.
// Only the examples that upstream's own admission refuses too are refused (its behaviour notes say
// which); references to objects of other directories are taken as present.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UPSTREAM_INVALID_EXAMPLES, upstreamReferenceDir } from '@gko/api/corpus';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../index.ts';

const dir = upstreamReferenceDir();
if (!dir) console.warn('upstream examples (../shared/reference/gko) not found: skipping gko validate on them');

/** Refused by upstream's admission as well, with the field at fault. */
const REFUSED_BY_UPSTREAM_TOO: Record<string, string> = {
  // A STARTED API needs a plan.
  'apim/api_definition/v2/api-with-no-plan.yml': 'spec.plans',
  // A Cloud context reads its token from the Secret key cloudToken; this Secret holds bearerToken.
  'management_context/cloud/cloud-mctx-with-bearer-secret-ref.yml': 'spec.cloud.secretRef',
};

function directories(root: string): string[] {
  const entries = readdirSync(root, { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && /\.ya?ml$/.test(e.name)) ? [root] : [];
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => directories(join(root, e.name)))];
}

describe.skipIf(!dir)("gko validate on upstream's example directories", () => {
  const examples = join(dir ?? '', 'examples');
  it.each((dir ? directories(examples) : []).map((d) => [relative(examples, d), d] as const))(
    'admits %s, but what upstream refuses too',
    async (_name, path) => {
      let out = '';
      const status = await runCommand(['validate', '--assume-present', '-o', 'json', path], {
        out: (t) => void (out += t),
        err: () => undefined,
        stdin: () => Promise.resolve(''),
        env: {},
      });
      const report = JSON.parse(out) as {
        objects: { file: string; allowed: boolean; findings: { severity: string; path: string }[] }[];
      };
      const expected = { ...UPSTREAM_INVALID_EXAMPLES, ...REFUSED_BY_UPSTREAM_TOO };
      const refused = report.objects
        .filter((o) => !o.allowed)
        .map((o) => [relative(examples, o.file), o.findings.filter((f) => f.severity === 'error').map((f) => f.path)]);
      const wanted = Object.entries(expected)
        .filter(
          ([file]) =>
            join(examples, file).startsWith(`${path}/`) && !relative(path, join(examples, file)).includes('/'),
        )
        .map(([file, field]) => [file, [field]]);
      expect(refused).toEqual(wanted);
      expect(status).toBe(wanted.length > 0 ? 1 : 0);
    },
  );
});
