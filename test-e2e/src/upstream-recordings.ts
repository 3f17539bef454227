// Recorded runs of upstream's operator (../shared/reference/gko-golden, or $GKO_GOLDEN_DIR): for each of
// its examples, the custom resources as it left them, what it sent to APIM and what it wrote for
// gateways. The suites that compare identities with upstream, and that take over from the state it
// leaves, read them through this module; identity() reduces a write to the ids it carries.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './resources.ts';

export interface RecordedObject {
  kind: string;
  name: string;
  uid: string;
  annotations?: Record<string, string>;
  finalizers?: string[];
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface RecordedWrite {
  /** `METHOD /path`, as called. */
  call: string;
  status: number;
  body: Record<string, unknown> | null;
}

export interface RecordedConfigMap {
  labels: Record<string, string>;
  /** Each key, JSON-decoded where it holds JSON. */
  data: Record<string, unknown>;
}

export interface Recording {
  /** The file name, without .json. */
  name: string;
  case: string;
  mode: 'context' | 'local';
  namespace: string;
  objects: RecordedObject[];
  apimWrites: RecordedWrite[];
  apimWritesOnDelete: RecordedWrite[];
  configMaps: Record<string, RecordedConfigMap>;
}

/** Where the recordings are, if they are next to the repository. */
export function recordingsDir(): string {
  return process.env['GKO_GOLDEN_DIR'] ?? join(repoRoot, '..', 'shared', 'reference', 'gko-golden');
}

export function loadRecordings(dir = recordingsDir()): Recording[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.slice(0, -'.json'.length),
      ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<Recording, 'name'>),
    }));
}

type Json = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const sortBy = <T extends Json>(items: T[], key: (item: T) => string) =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
/** The non-empty values of the named fields. */
const pick = (from: Json, fields: string[]): Json =>
  Object.fromEntries(fields.flatMap((field) => (text(from[field]) ? [[field, from[field]]] : [])));

/** The ids a v4 plan or page carries, whatever else it says. */
function v4Parts(list: unknown, fields: string[]): Json[] {
  return sortBy(
    ((list as Json[] | null | undefined) ?? []).map((item) => pick(item, fields)),
    (item) => String(item['hrid'] ?? item['id']),
  );
}

/** The ids of a v2 definition: the API's, and its plans' and pages'. */
function v2Ids(definition: Json): Json {
  const pages = Object.entries((definition['pages'] as Record<string, Json> | null | undefined) ?? {});
  return {
    ...pick(definition, ['id', 'crossId']),
    plans: sortBy(
      ((definition['plans'] as Json[] | null | undefined) ?? []).map((p) => pick(p, ['name', 'id', 'crossId'])),
      (p) => String(p['name']),
    ),
    pages: Object.fromEntries(pages.map(([key, page]) => [key, pick(page, ['id', 'crossId', 'parentId'])])),
  };
}

/** The ids a v4 definition carries: the API's, and its plans' and pages'. */
function v4Ids(definition: Json): Json {
  return {
    ...pick(definition, ['hrid', 'id', 'crossId']),
    plans: v4Parts(definition['plans'], ['hrid', 'id', 'crossId', 'generalConditionsHrid']),
    pages: v4Parts(definition['pages'], ['hrid', 'id', 'crossId', 'parentId', 'parentHrid']),
  };
}

/**
 * What identifies a write: where it goes and the ids its body names. Everything else in a body is
 * content, compared by other tests.
 */
export function identity(method: string, path: string, body: Json | null | undefined): Json {
  const at = { call: `${method} ${path}` };
  if (!body) return at;
  if (path.endsWith('/apis/import-crd')) return { ...at, ...v2Ids(body) };
  if (/\/apis\/[^/]+\/subscriptions$/.test(path))
    return { ...at, ...pick(body, ['hrid', 'applicationHrid', 'planHrid']) };
  if (path.endsWith('/apis')) return { ...at, ...v4Ids(body) };
  return { ...at, ...pick(body, ['hrid', 'id', 'crossId']) };
}

/** What identifies a local-mode ConfigMap: its name, labels, keys and the ids of the definition. */
export function configMapIdentity(name: string, configMap: RecordedConfigMap): Json {
  const definition = (configMap.data['definition'] ?? {}) as Json;
  const v4 = configMap.data['apiDefinitionVersion'] !== undefined;
  return {
    name,
    labels: configMap.labels,
    keys: Object.keys(configMap.data).sort(),
    organizationId: configMap.data['organizationId'],
    environmentId: configMap.data['environmentId'],
    ids: v4
      ? {
          ...pick(definition, ['hrid', 'id', 'crossId']),
          plans: sortBy(
            ((definition['plans'] as Json[] | null | undefined) ?? []).map((p) => pick(p, ['name', 'id'])),
            (p) => String(p['name']),
          ),
        }
      : v2Ids(definition),
  };
}

/** The ids a status records of what APIM holds (only those upstream recorded are compared). */
export function statusIdentity(status: Json | undefined): Json {
  return { ...pick(status ?? {}, ['id', 'crossId']), plans: status?.['plans'] ?? {} };
}

/** Splits `METHOD /path`. */
export function splitCall(call: string): { method: string; path: string } {
  const [method = '', path = ''] = call.split(' ');
  return { method, path };
}
