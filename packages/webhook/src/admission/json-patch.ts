// The RFC 6902 patch that turns one JSON value into another: what a mutating webhook answers.
import { isDeepStrictEqual } from 'node:util';
import type { JsonPatchOperation } from './review.ts';

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects are compared field by field; any other changed value (lists included) is replaced whole. */
export function jsonPatch(from: unknown, to: unknown, path = ''): JsonPatchOperation[] {
  if (isDeepStrictEqual(from, to)) return [];
  if (!isObject(from) || !isObject(to)) return [{ op: 'replace', path, value: to }];
  const operations: JsonPatchOperation[] = [];
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key)) operations.push({ op: 'remove', path: `${path}/${escape(key)}` });
  }
  for (const [key, value] of Object.entries(to)) {
    const at = `${path}/${escape(key)}`;
    if (!Object.hasOwn(from, key)) operations.push({ op: 'add', path: at, value });
    else operations.push(...jsonPatch(from[key], value, at));
  }
  return operations;
}
