import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathSegments, readManifests, UnreadableInputError } from './manifests.ts';

let dir = '';
const noStdin = () => Promise.reject(new Error('standard input is not read here'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gko-manifests-'));
  await mkdir(join(dir, 'tree', 'nested'), { recursive: true });
  await writeFile(
    join(dir, 'tree', 'b.yaml'),
    [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: { name: s }',
      '---',
      '# an empty document is skipped',
      '---',
      'apiVersion: gravitee.io/v1alpha1',
      'kind: Group',
      'metadata:',
      '  name: g',
      'spec:',
      '  members:',
      '    - source: memory',
      '      roles:',
      '        API: OWNER',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'tree', 'nested', 'a.json'),
    JSON.stringify(
      { apiVersion: 'v1', kind: 'List', items: [{ kind: 'ConfigMap', metadata: { name: 'c' } }] },
      null,
      2,
    ),
  );
  await writeFile(join(dir, 'tree', 'nested', 'notes.txt'), 'not a manifest');
  await writeFile(join(dir, 'broken.yaml'), 'kind: Group\nmetadata:\n  name: [unclosed\n');
  await writeFile(join(dir, 'scalar.yaml'), 'just text\n');
  await writeFile(join(dir, 'null-item.yaml'), 'kind: List\nitems:\n  - kind: Group\n  - null\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('reading manifests', () => {
  it('reads a directory recursively, in name order, YAML and JSON files only, every document and List item', async () => {
    const items = await readManifests([join(dir, 'tree')], noStdin);
    expect(items.map((i) => `${(i.object as { kind: string }).kind} ${i.origin.file.slice(dir.length)}`)).toEqual([
      'Secret /tree/b.yaml',
      'Group /tree/b.yaml',
      'ConfigMap /tree/nested/a.json',
    ]);
    expect(items.map((i) => [i.origin.document, i.origin.line])).toEqual([
      [0, 1],
      [2, 7],
      [0, 5],
    ]);
  });

  it('reads a mounted ConfigMap once: its links followed, its hidden timestamped copy skipped', async () => {
    const mount = join(dir, 'mount');
    await mkdir(join(mount, '..2026_12_07_00_00_00.1'), { recursive: true });
    await writeFile(join(mount, '..2026_12_07_00_00_00.1', 'a.yaml'), 'kind: Group\nmetadata: { name: mounted }\n');
    await symlink('..2026_12_07_00_00_00.1', join(mount, '..data'));
    await symlink(join('..data', 'a.yaml'), join(mount, 'a.yaml'));
    const items = await readManifests([mount], noStdin);
    expect(items.map((i) => i.origin.file)).toEqual([join(mount, 'a.yaml')]);
  });

  it('reads a directory linked from inside itself once', async () => {
    const loop = join(dir, 'loop');
    await mkdir(join(loop, 'inner'), { recursive: true });
    await writeFile(join(loop, 'inner', 'g.yaml'), 'kind: Group\nmetadata: { name: looped }\n');
    await symlink('..', join(loop, 'inner', 'up'));
    await symlink('.', join(loop, 'inner', 'self'));
    const items = await readManifests([loop], noStdin);
    expect(items.filter((i) => (i.object as { metadata: { name: string } }).metadata.name === 'looped')).toHaveLength(
      1,
    );
  });

  it('finds the line of a field by the path findings name it with, or of its closest written parent', async () => {
    const group = (await readManifests([join(dir, 'tree', 'b.yaml')], noStdin))[1]!;
    expect(group.origin.lineOf('spec.members[0].roles.API')).toBe(15);
    expect(group.origin.lineOf('spec.members[0].sourceId')).toBe(13);
    expect(group.origin.lineOf('spec.contextRef')).toBe(11);
    expect(group.origin.lineOf('')).toBe(7);
  });

  it('splits paths as the rules write them, map keys in brackets included', () => {
    expect(pathSegments('spec.plans[free].security.type')).toEqual(['spec', 'plans', 'free', 'security', 'type']);
    expect(pathSegments('metadata.annotations[gravitee.io/reconcile]')).toEqual([
      'metadata',
      'annotations',
      'gravitee.io/reconcile',
    ]);
    expect(pathSegments('spec.listeners[0].paths[1].path')).toEqual(['spec', 'listeners', '0', 'paths', '1', 'path']);
  });

  it('reads standard input for -, once, named <stdin>', async () => {
    let reads = 0;
    const items = await readManifests(['-'], () => {
      reads++;
      return Promise.resolve('kind: Group\nmetadata: { name: piped }\n');
    });
    expect(reads).toBe(1);
    expect(items).toHaveLength(1);
    expect(items[0]!.origin.file).toBe('<stdin>');
  });

  it('keeps the last value of a key given twice, as kubectl does', async () => {
    const items = await readManifests(['-'], () => Promise.resolve('kind: Group\nkind: Dictionary\n'));
    expect(items[0]!.object).toEqual({ kind: 'Dictionary' });
  });

  it('refuses what cannot be read, saying where', async () => {
    for (const [path, message] of [
      [join(dir, 'missing.yaml'), 'no such file or directory'],
      [join(dir, 'broken.yaml'), 'broken.yaml:4: Flow sequence'],
      [join(dir, 'scalar.yaml'), 'is not a Kubernetes object'],
      [join(dir, 'null-item.yaml'), 'null-item.yaml:4: item 1 of a List is not a Kubernetes object'],
    ] as const) {
      const failure = await readManifests([path], noStdin).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UnreadableInputError);
      expect((failure as Error).message).toContain(message);
    }
  });
});
