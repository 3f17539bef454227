// Manifests as GitOps repositories and pipelines hold them: files, directories (read recursively, as
// `kubectl apply -R`), or standard input (`-`, the output of `kustomize build` or `helm template`);
// several YAML documents per file, JSON, and Lists. Each object keeps where it came from, down to the
// line of a field, so that a problem can be shown where it was written.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';

export interface Origin {
  /** The file as given (or found in a directory given), `<stdin>` for standard input. */
  file: string;
  /** The document of the file, from 0. */
  document: number;
  /** The line where the object starts, from 1. */
  line: number;
  /** The line of a field of the object (a path as findings name them), or of the object itself. */
  lineOf(path: string): number;
}

export interface ManifestItem {
  object: unknown;
  origin: Origin;
}

/** Input that cannot be read as manifests: a missing file, broken YAML, a document that is not an object. */
export class UnreadableInputError extends Error {
  override name = 'UnreadableInputError';
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

async function filesOf(path: string, visited = new Set<string>()): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UnreadableInputError(`${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  // A link back up the tree is read once, not until the links run out.
  const real = await realpath(path);
  if (visited.has(real)) return [];
  visited.add(real);
  const files: string[] = [];
  // Hidden entries are skipped: .git, and the timestamped copies a mounted ConfigMap or Secret keeps
  // beside the links to its current files (which are followed).
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(path, entry.name);
    const target = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry;
    if (target?.isDirectory()) files.push(...(await filesOf(full, visited)));
    else if (target?.isFile() && MANIFEST_FILE.test(entry.name)) files.push(full);
  }
  return files;
}

/** The segments of a finding's path: `spec.plans[free].security` → spec, plans, free, security. */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) segments.push(match[1] ?? match[2] ?? '');
  return segments;
}

/** The line of the deepest field of `root` written along the path: a key's own line, or a list item's. */
function lineAlong(root: Node | null | undefined, path: string, lines: LineCounter, fallback: number): number {
  let node = root;
  let line = fallback;
  const lineOf = (n: { range?: [number, number, number] | null } | null | undefined) =>
    n?.range ? lines.linePos(n.range[0]).line : line;
  for (const segment of pathSegments(path)) {
    if (isMap(node)) {
      // The last of a key given twice: the value kept.
      const pair = node.items.findLast((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      line = lineOf(pair.key as Node);
      node = pair.value as Node | null;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      line = lineOf(item);
      node = item;
    } else break;
  }
  return line;
}

function itemsOf(file: string, text: string): ManifestItem[] {
  const lines = new LineCounter();
  // A key given twice keeps its last value, as kubectl reads it.
  const documents = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  if (!Array.isArray(documents)) return [];
  const items: ManifestItem[] = [];
  documents.forEach((document: Document, index) => {
    const broken = document.errors[0];
    if (broken) {
      const line = broken.linePos?.[0]?.line;
      throw new UnreadableInputError(`${file}${line ? `:${line}` : ''}: ${broken.message.split('\n')[0]}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    const start = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
    const origin = (node: Node | null | undefined): Origin => ({
      file,
      document: index,
      line: start(node),
      lineOf: (path) => lineAlong(node, path, lines, start(node)),
    });
    if (typeof value !== 'object' || Array.isArray(value))
      throw new UnreadableInputError(`${file}:${start(document.contents)}: a document is not a Kubernetes object`);
    const record = value as Record<string, unknown>;
    const list =
      typeof record['kind'] === 'string' && record['kind'].endsWith('List') && Array.isArray(record['items']);
    if (!list) return void items.push({ object: record, origin: origin(document.contents) });
    const nodes = isMap(document.contents) ? document.contents.get('items', true) : undefined;
    (record['items'] as unknown[]).forEach((object, i) => {
      const node = isSeq(nodes) ? nodes.get(i, true) : undefined;
      if (typeof object !== 'object' || object === null || Array.isArray(object))
        throw new UnreadableInputError(`${file}:${start(node)}: item ${i} of a List is not a Kubernetes object`);
      items.push({ object, origin: origin(node) });
    });
  });
  return items;
}

/** Every object of the paths given, in order; `-` reads standard input (once). */
export async function readManifests(paths: string[], stdin: () => Promise<string>): Promise<ManifestItem[]> {
  const items: ManifestItem[] = [];
  for (const path of paths) {
    if (path === '-') {
      items.push(...itemsOf('<stdin>', await stdin()));
      continue;
    }
    for (const file of await filesOf(path)) {
      let text;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UnreadableInputError(`${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      items.push(...itemsOf(file, text));
    }
  }
  return items;
}
