import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader } from '../reconcile/contract.ts';
import { InvalidSpecError, MissingReferenceError } from '../reconcile/errors.ts';
import { READ_GRANT_ANNOTATION } from '@gko/api';
import { compileSpec, sourceVersion, templateSourceKeys } from './compile.ts';

const NS = 'team-a';
const PASSWORD = 's3cr3t-Value';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function secret(namespace: string, name: string, data: Record<string, string>, resourceVersion: string) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace, name, resourceVersion },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64(v)])),
  };
}

function configMap(namespace: string, name: string, data: Record<string, string>, resourceVersion: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name, resourceVersion }, data };
}

/** A cache over a fixed set of objects, with the reads counted by kind. */
function fakeCache(objects: KubernetesObject[]): CacheReader & { reads: string[] } {
  const byKey = new Map(objects.map((o) => [`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o]));
  const reads: string[] = [];
  return {
    reads,
    get: (kind, namespace, name) => {
      reads.push(`${kind}/${namespace}/${name}`);
      return byKey.get(`${kind}/${namespace}/${name}`);
    },
    list: (kind, namespace) =>
      objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace)),
    byIndex: () => [],
  };
}

const cache = fakeCache([
  secret(NS, 'db', { password: PASSWORD, user: 'admin' }, '11'),
  secret(NS, 'empty', { blank: '' }, '12'),
  secret(NS, 'api', { key: 'k-123' }, '13'),
  configMap(NS, 'settings', { host: 'db.internal', port: '5432' }, '7'),
  // Same names in another namespace: never to be read for team-a's objects.
  secret('team-b', 'other', { password: 'not-ours' }, '99'),
]);

// Sources met in the order Secret db, ConfigMap settings, Secret api; db and settings more than once.
const spec = {
  name: 'Orders',
  backend: {
    credentials: { user: '[[ secret `db/user` ]]', password: '[[ secret `db/password` ]]' },
    url: 'jdbc://[[ configmap `settings/host` ]]:[[ configmap "settings/port" ]]',
  },
  tags: ['plain', '[[ secret `db/user` ]]'],
  apiKey: '[[ secret `api/key` ]]',
};

describe('compiling the templates of a spec', () => {
  it('replaces every marker with the value of its Secret or ConfigMap', () => {
    const { spec: compiled } = compileSpec(NS, spec, cache, true);
    expect(compiled).toEqual({
      name: 'Orders',
      backend: {
        credentials: { user: 'admin', password: PASSWORD },
        url: 'jdbc://db.internal:5432',
      },
      tags: ['plain', 'admin'],
      apiKey: 'k-123',
    });
  });

  it('does not change the spec it was given', () => {
    const copy = structuredClone(spec);
    compileSpec(NS, spec, cache, true);
    expect(spec).toEqual(copy);
  });

  it('lists its sources once each, sorted, with a digest of their content and never a value', () => {
    const { sources } = compileSpec(NS, spec, cache, true);
    expect(sources.map(({ kind, name }) => `${kind}/${name}`)).toEqual([
      'ConfigMap/settings',
      'Secret/api',
      'Secret/db',
    ]);
    expect(sources.every((s) => /^[0-9a-f]{64}$/.test(s.content))).toBe(true);
    const written = JSON.stringify(sources);
    expect(written).not.toContain(PASSWORD);
    expect(written).not.toContain(base64(PASSWORD));
    expect(written).not.toContain('db.internal');
    expect(written).not.toContain('k-123');
  });

  it('moves a digest when the data changes, not for a label, an annotation or a new resourceVersion', () => {
    const db = secret(NS, 'db', { password: PASSWORD, user: 'admin' }, '11');
    const digest = (object: KubernetesObject) => sourceVersion('Secret', 'db', object).content;
    const relabelled = { ...db, metadata: { ...db.metadata, resourceVersion: '12', labels: { team: 'a' } } };
    const annotated = { ...db, metadata: { ...db.metadata, annotations: { 'example.com/owner': 'a' } } };
    expect(digest(relabelled)).toBe(digest(db));
    expect(digest(annotated)).toBe(digest(db));
    expect(digest(secret(NS, 'db', { password: 'other', user: 'admin' }, '11'))).not.toBe(digest(db));
    // Who may read it is part of what is read.
    const granted = { ...db, metadata: { ...db.metadata, annotations: { [READ_GRANT_ANNOTATION]: 'team-b' } } };
    expect(digest(granted)).not.toBe(digest(db));
    expect(sourceVersion('Secret', 'db', undefined).content).toBe('missing');
    // Salted with the uid: the same data in another Secret gives another digest (no offline guessing).
    expect(digest({ ...db, metadata: { ...db.metadata, uid: 'u-1' } })).not.toBe(digest(db));
  });

  it('reads the sources in the object’s own namespace only', () => {
    const reader = fakeCache([secret('team-b', 'other', { password: 'not-ours' }, '1')]);
    expect(() => compileSpec(NS, { p: '[[ secret `other/password` ]]' }, reader, true)).toThrow(MissingReferenceError);
    expect(reader.reads.every((read) => read.startsWith(`Secret/${NS}/`))).toBe(true);
  });

  it('returns a spec without markers as it is, with no sources', () => {
    const plain = { name: 'Orders', tags: ['a'] };
    const result = compileSpec(NS, plain, cache, true);
    expect(result.spec).toBe(plain);
    expect(result.sources).toEqual([]);
  });

  it('leaves the markers and reads nothing when templating is disabled', () => {
    const reader = fakeCache([]);
    const result = compileSpec(NS, spec, reader, false);
    expect(result.spec).toBe(spec);
    expect(result.spec.backend.credentials.password).toBe('[[ secret `db/password` ]]');
    expect(result.sources).toEqual([]);
    expect(reader.reads).toEqual([]);
  });

  it('fails on a missing Secret, naming the field path, the kind, the namespace and the name', () => {
    const error = catchError(() => compileSpec(NS, { auth: { token: '[[ secret `gone/token` ]]' } }, cache, true));
    expect(error).toBeInstanceOf(MissingReferenceError);
    expect((error as MissingReferenceError).field).toBe('spec.auth.token');
    expect((error as Error).message).toBe('spec.auth.token: Secret team-a/gone does not exist');
  });

  it('fails on a missing ConfigMap likewise', () => {
    const error = catchError(() => compileSpec(NS, { list: ['x', '[[ configmap `nope/k` ]]'] }, cache, true));
    expect(error).toBeInstanceOf(MissingReferenceError);
    expect((error as Error).message).toBe('spec.list[1]: ConfigMap team-a/nope does not exist');
  });

  it('fails on a missing key, naming the key but never a value of the Secret', () => {
    const error = catchError(() =>
      compileSpec(NS, { a: '[[ secret `db/password` ]]', b: '[[ secret `db/token` ]]' }, cache, true),
    );
    expect(error).toBeInstanceOf(MissingReferenceError);
    expect((error as MissingReferenceError).field).toBe('spec.b');
    const message = (error as Error).message;
    expect(message).toContain('Secret team-a/db');
    expect(message).toContain('token');
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toContain('admin');
  });

  it('takes an empty value for a missing one', () => {
    const error = catchError(() => compileSpec(NS, { a: '[[ secret `empty/blank` ]]' }, cache, true));
    expect(error).toBeInstanceOf(MissingReferenceError);
    expect((error as Error).message).toContain('blank');
  });

  it.each([
    ['an unknown function', '[[ vault `db/password` ]]'],
    ['an argument without a key', '[[ secret `db` ]]'],
    ['an argument without a name', '[[ secret `/password` ]]'],
    ['an unquoted argument', '[[ secret db/password ]]'],
  ])('rejects %s as an invalid spec (CompileTemplateError), reading nothing', (_, marker) => {
    const reader = fakeCache([secret(NS, 'db', { password: PASSWORD }, '1')]);
    const error = catchError(() => compileSpec(NS, { deep: { value: `x ${marker}` } }, reader, true));
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as InvalidSpecError).reason).toBe('CompileTemplateError');
    expect((error as Error).message).toMatch(/^spec\.deep\.value: /);
    expect(reader.reads).toEqual([]);
  });
});

describe('the template sources of a spec, for the dependency index', () => {
  it('are "Kind/namespace/name", once each, in the object’s namespace', () => {
    expect(templateSourceKeys(NS, spec).sort()).toEqual([
      'ConfigMap/team-a/settings',
      'Secret/team-a/api',
      'Secret/team-a/db',
    ]);
  });

  it('are none without markers, or with only malformed ones', () => {
    expect(templateSourceKeys(NS, { name: 'x', nested: [{ a: 1 }] })).toEqual([]);
    expect(templateSourceKeys(NS, { name: '[[ nope ]]' })).toEqual([]);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
