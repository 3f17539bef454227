import type { KindName } from '@gko/api';
import type { DataLookup, ObjectLookup } from '@gko/mapi';
import type { Lookups } from './rule.ts';

/** The lookups, in the shape the @gko/mapi mappings read them. */
export function objectLookup(lookups: Lookups): ObjectLookup {
  return (kind, namespace, name) => lookups.get(kind as KindName, namespace, name);
}

export function dataLookup(lookups: Lookups): DataLookup {
  return (kind, namespace, name, from) => lookups.data(kind, namespace, name, from);
}
