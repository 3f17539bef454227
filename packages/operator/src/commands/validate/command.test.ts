import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { context as contextFixture, object as fixture, v4Api } from '@gko/webhook/test-support';
import { runCommand } from '../index.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', '..', 'api', 'examples');
let dir = '';

interface Run {
  status: number;
  out: string;
  err: string;
}

async function gko(argv: string[], stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const status = await runCommand(argv, {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdin: () => Promise.resolve(stdin),
    env: {},
  });
  return { status, out, err };
}

/** The rules' test objects, without a namespace: each test says which one they get. */
const object = (kind: string, name: string, spec: Record<string, unknown>) => unnamespaced(fixture(kind, name, spec));
const unnamespaced = <T extends { metadata: { namespace?: string } }>(o: T): T => {
  const { namespace: _namespace, ...metadata } = o.metadata;
  return { ...o, metadata };
};
const api = (name: string, spec: Record<string, unknown> = {}) =>
  unnamespaced(v4Api(name, { contextRef: { name: 'apim' }, ...spec }));
const withSpec = <T extends { spec?: unknown }>(o: T, extra: Record<string, unknown>): T => ({
  ...o,
  spec: { ...(o.spec as Record<string, unknown>), ...extra },
});
const context = unnamespaced(contextFixture('apim', 'http://127.0.0.1:1', { bearerToken: 'token' }));
const app = object('Application', 'shop', {
  contextRef: { name: 'apim' },
  name: 'shop',
  description: 'd',
  settings: { app: { type: 'web' } },
});
const subscription = (spec: Record<string, unknown> = {}) =>
  object('Subscription', 'sub', { api: { name: 'orders' }, application: { name: 'shop' }, plan: 'keys', ...spec });

/** The line (from 1) of the first line of the file holding the text. */
const lineWith = async (path: string, text: string) =>
  (await readFile(path, 'utf8')).split('\n').findIndex((l) => l.includes(text)) + 1;

const file = async (name: string, documents: unknown[]) => {
  const path = join(dir, name);
  await writeFile(path, documents.map((d) => stringify(d)).join('---\n'));
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gko-validate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('gko validate', () => {
  it("passes the repository's examples, applied together as their README says, with exit 0", async () => {
    const run = await gko(['validate', EXAMPLES]);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^\d+ objects checked: 0 refused, 0 errors, 0 warnings\n$/);
    expect(run.status).toBe(0);
  });

  it('prints one line per problem, where it is written, in the webhook words, and exits 1', async () => {
    const path = await file('refused.yaml', [context, api('orders', { plans: {} }), withSpec(app, { colour: 'blue' })]);
    const run = await gko(['validate', path]);
    expect(run.out.split('\n').filter(Boolean)).toEqual([
      `${path}:${await lineWith(path, 'plans: {}')}: error: ApiV4Definition default/orders: spec.plans: a started API needs at least one plan: add a plan, or set state to STOPPED`,
      `${path}:${await lineWith(path, 'colour: blue')}: error: Application default/shop: spec.colour: unknown field`,
    ]);
    expect(run.err).toBe('3 objects checked: 2 refused, 2 errors, 0 warnings\n');
    expect(run.status).toBe(1);
  });

  it('gives objects without a namespace the one of --namespace, and resolves their references there', async () => {
    const path = await file('namespaced.yaml', [context, api('orders'), app, subscription()]);
    const run = await gko(['validate', '-n', 'team-a', path]);
    expect(run.status).toBe(0);
    const json = JSON.parse((await gko(['validate', '-n', 'team-a', '-o', 'json', path])).out) as {
      objects: { namespace: string }[];
    };
    expect(new Set(json.objects.map((o) => o.namespace))).toEqual(new Set(['team-a']));
  });

  it('reports references to objects the input lacks, unless --assume-present', async () => {
    const path = await file('alone.yaml', [subscription()]);
    const run = await gko(['validate', path]);
    expect(run.out).toContain(
      'error: Subscription default/sub: spec.api: ApiV4Definition default/orders does not exist',
    );
    expect(run.out).toContain(
      'error: Subscription default/sub: spec.application: Application default/shop does not exist',
    );
    expect(run.err).toContain('(2 for objects the input does not hold: add them, --cluster or --assume-present)');
    expect(run.status).toBe(1);
    const assumed = await gko(['validate', '--assume-present', path]);
    expect(assumed).toEqual({ status: 0, out: '', err: '1 object checked: 0 refused, 0 errors, 0 warnings\n' });
  });

  it('still refuses, with --assume-present, what is wrong with the object itself', async () => {
    const path = await file('self.yaml', [subscription({ endingAt: '2020-01-01T00:00:00Z' })]);
    const run = await gko(['validate', '--assume-present', path]);
    expect(run.out).toContain('spec.endingAt');
    expect(run.status).toBe(1);
  });

  it('lets warnings pass, unless --strict', async () => {
    const path = await file('warned.yaml', [
      object('Notification', 'n', { console: { groupRefs: [{ name: 'ops' }] } }),
    ]);
    const run = await gko(['validate', path]);
    expect(run.out).toContain(
      'warning: Notification default/n: spec.console.groupRefs[0]: Group default/ops does not exist (yet)',
    );
    expect(run.status).toBe(0);
    expect((await gko(['validate', '--strict', path])).status).toBe(1);
  });

  it('says when an object is given twice, the later one being what the cluster keeps', async () => {
    const path = await file('twice.yaml', [context, withSpec(context, { environmentId: 'OTHER' })]);
    const run = await gko(['validate', path]);
    expect(run.out).toBe(
      `${path}:4: warning: ManagementContext default/apim: metadata.name: given again later in the input: the later one replaces this one, and is the one the other objects see\n`,
    );
  });

  it('exits 2 on input without any object, as from a kustomize build that failed', async () => {
    const run = await gko(['validate', '-'], '');
    expect(run.err).toContain('cannot read the input: no objects in -');
    expect(run.status).toBe(2);
  });

  it('refuses an object of the gravitee.io group in a version it does not serve, rather than skipping it', async () => {
    const run = await gko(['validate', '-'], stringify({ ...context, apiVersion: 'gravitee.io/v1beta1' }));
    expect(run.out).toContain(
      'error: ManagementContext default/apim: apiVersion: Unsupported value: "gravitee.io/v1beta1"',
    );
    expect(run.status).toBe(1);
  });

  it('reads standard input for -, as piped from kustomize build or helm template', async () => {
    const run = await gko(['validate', '-'], [context, api('orders')].map((d) => stringify(d)).join('---\n'));
    expect(run.err).toBe('2 objects checked: 0 refused, 0 errors, 0 warnings\n');
    expect(run.status).toBe(0);
  });

  it('exits 2 when the input cannot be read or the command line is wrong, saying why', async () => {
    await writeFile(join(dir, 'broken.yaml'), 'kind: [');
    for (const [argv, message] of [
      [['validate', join(dir, 'nothing-here.yaml')], 'no such file or directory'],
      [['validate', join(dir, 'broken.yaml')], 'cannot read the input'],
      [['validate'], 'no manifests given'],
      [['validate', '--colour', EXAMPLES], "Unknown option '--colour'"],
      [['validate', '-o', 'xml', EXAMPLES], '--output xml: use one of text, json, sarif'],
      [['validate', '-', '-'], 'standard input (-) can be read once only'],
      [['validate', '--context', 'nowhere', EXAMPLES], 'ManagementContext default/nowhere is in neither the input'],
      [['nonsense'], 'unknown command nonsense'],
      [[], 'Usage: gko COMMAND'],
      [['validate', '-n', '', EXAMPLES], '--namespace: give a namespace'],
    ] as const) {
      const run = await gko([...argv]);
      expect(run.status, argv.join(' ')).toBe(2);
      expect(run.err).toContain(message);
    }
  });
});

describe('gko validate -o json and -o sarif', () => {
  let path = '';
  beforeAll(async () => {
    path = await file('mixed.yaml', [
      context,
      api('orders', { plans: {} }),
      subscription({ application: { name: 'nobody' } }),
      object('Notification', 'n', { console: { groupRefs: [{ name: 'ops' }] } }),
      withSpec(app, { colour: 'blue' }),
    ]);
  });

  it('writes JSON that its schema describes, with every object, finding, line and missing reference', async () => {
    const run = await gko(['validate', '-o', 'json', path]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.out) as {
      objects: { name: string; allowed: boolean; findings: { rule: string; line?: number; missing?: unknown }[] }[];
      summary: Record<string, number>;
    };
    const schema = JSON.parse(await readFile(join(import.meta.dirname, 'report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.objects.map((o) => [o.name, o.allowed, o.findings.map((f) => f.rule)])).toEqual([
      ['apim', true, []],
      ['orders', false, ['admission']],
      // Checked against the API as written (refused for its own reasons): both problems show at once.
      ['sub', false, ['unresolved-reference', 'admission']],
      ['n', true, ['admission']],
      ['shop', false, ['schema']],
    ]);
    expect(report.objects[2]!.findings[0]!.missing).toEqual({
      kind: 'Application',
      namespace: 'default',
      name: 'nobody',
    });
    expect(report.summary).toEqual({ objects: 5, refused: 3, errors: 4, warnings: 1, unresolved: 1, ignored: 0 });
  });

  it('writes SARIF 2.1.0 that the official schema accepts, with rules, levels and lines', async () => {
    const run = await gko(['validate', '-o', 'sarif', path]);
    expect(run.status).toBe(1);
    const sarif = JSON.parse(run.out) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      await readFile(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as { id?: string };
    // The schema's patterns are ECMAScript ones written before the unicode flag.
    const Draft04 = AjvDraft04 as unknown as typeof AjvDraft04.default;
    const ajv = new Draft04({ strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['admission', 'error'],
      ['unresolved-reference', 'error'],
      ['admission', 'error'],
      ['admission', 'warning'],
      ['schema', 'error'],
    ]);
    expect(results[0]!.message.text).toBe(
      'ApiV4Definition default/orders: spec.plans: a started API needs at least one plan: add a plan, or set state to STOPPED',
    );
    expect(results[0]!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: path },
      region: { startLine: await lineWith(path, 'plans: {}') },
    });
  });
});
