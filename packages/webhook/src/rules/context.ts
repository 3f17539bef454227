// The ManagementContext an object refers to must exist, and be usable.
import { resolveReference, type ManagementContext, type ObjectReference } from '@gko/api';
import { missingObject, type Finding, type Lookups } from './rule.ts';

export function findContext(
  ref: ObjectReference | undefined,
  namespace: string,
  lookups: Lookups,
  path = 'spec.contextRef',
): { context?: ManagementContext; findings: Finding[] } {
  if (!ref) return { findings: [] };
  const { namespace: ns, name } = resolveReference(ref, namespace);
  const context = lookups.get<ManagementContext>('ManagementContext', ns, name);
  return context
    ? { context, findings: [] }
    : { findings: [missingObject(path, { kind: 'ManagementContext', namespace: ns, name })] };
}
