// Groups named through groupRefs (by APIs and Notifications) that do not exist: the object goes on
// without them, as upstream's operator does, and says so in ResolvedRefs.
import { resolveReference, type ObjectReference } from '@gko/api';
import type { CacheReader } from '../reconcile/contract.ts';

/** The groupRefs naming no Group, as "namespace/name". */
export function missingGroups(refs: ObjectReference[] | undefined, namespace: string, cache: CacheReader): string[] {
  return (refs ?? [])
    .map((ref) => resolveReference(ref, namespace))
    .filter((ref) => !cache.get('Group', ref.namespace, ref.name))
    .map((ref) => `${ref.namespace}/${ref.name}`);
}
