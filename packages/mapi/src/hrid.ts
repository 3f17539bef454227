// Human-readable ids (HRIDs) and the deterministic UUIDs computed by the operator.
//
// An object's HRID is `<namespace>-<name>`; a plan's or page's is its map key. APIM accepts letters,
// digits, '_' and '-' (starting and ending with a letter or digit), so dots and spaces become '-'.
import { createHash } from 'node:crypto';

export const HRID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]+[a-zA-Z0-9]$/;
export const HRID_MAX_LENGTH = 256;

/** A map key (plan, page) as an HRID: spaces and dots become '-'. */
export function keyHrid(key: string): string {
  return key.trim().replace(/[\s.]+/g, '-');
}

/** The HRID of a namespaced object, unless its spec sets one. */
export function objectHrid(metadata: { namespace?: string; name?: string }, specHrid?: string): string {
  if (specHrid) return specHrid;
  return keyHrid(`${metadata.namespace ?? 'default'}-${metadata.name ?? ''}`);
}

export function isValidHrid(hrid: string): boolean {
  return hrid.length <= HRID_MAX_LENGTH && HRID_PATTERN.test(hrid);
}

/** A name-based UUID (version 5 layout, SHA-1) of the given parts: the same parts, the same id. */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Drops undefined fields, so that bodies only carry what is set. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** How APIM knows an object: by HRID, or (objects created before HRIDs existed) by UUID with a flag. */
export interface ApimIds {
  hrid: string;
  /** Objects created before HRIDs existed keep their UUID, sent as the hrid with this flag. */
  hridContainsUUID: boolean;
}

interface Identified {
  metadata: { namespace?: string; name?: string };
  spec: { hrid?: string };
  status?: { id?: string; conditions?: { type: string; status: string }[] };
}

/**
 * New objects, and objects already marked AutomationAPIManaged, are known by HRID; an object that
 * upstream's operator synchronised before HRIDs existed holds an APIM id but not the marker. An id
 * derived from the HRID (an API deployed only locally) is no legacy id.
 */
export function apimIds(object: Identified): ApimIds {
  const hrid = objectHrid(object.metadata, object.spec.hrid);
  const managed = object.status?.conditions?.some((c) => c.type === 'AutomationAPIManaged' && c.status === 'True');
  const id = object.status?.id;
  const legacy = !!id && !managed && id !== deterministicUuid(hrid);
  return legacy ? { hrid: id, hridContainsUUID: true } : { hrid, hridContainsUUID: false };
}

/** The query flag for requests naming the object. */
export const idFlags = (ids: ApimIds) => (ids.hridContainsUUID ? { hridContainsUUID: true } : {});
