import type { KindName } from '@gko/api';
import type { DataLookup, ObjectLookup } from '@gko/mapi';
import type { KubeObject, Lookups } from './rule.ts';
import { compiled } from './templates.ts';

/**
 * The lookups, in the shape the @gko/mapi mappings read them. ApiResources come with their own
 * templates compiled, in their own namespace, as APIM will get them once inlined into an API.
 */
export function objectLookup(lookups: Lookups): ObjectLookup {
  return (kind, namespace, name) => {
    const found = lookups.get<KubeObject>(kind as KindName, namespace, name);
    return found && kind === 'ApiResource' ? compiled(found, namespace, lookups) : found;
  };
}

export function dataLookup(lookups: Lookups): DataLookup {
  return (kind, namespace, name, from) => lookups.data(kind, namespace, name, from);
}
