// Namespace boundaries. A Secret or ConfigMap is read only by objects of its own namespace, unless it
// says otherwise itself: the annotation below lists the namespaces whose objects may read it (or "*").
// Objects of ours may be referred to from any namespace, as upstream allows, unless they carry the same
// annotation: then only the namespaces it lists (and their own) may refer to them.
// The grant lives with what it opens, so only someone allowed to write in that namespace can give it,
// in the spirit of Gateway API's ReferenceGrant. A message about a Secret that may not be read is the
// same whether it exists or not: it must not tell another namespace what is there.

export const READ_GRANT_ANNOTATION = 'gravitee.io/allow-reads-from';

interface Annotated {
  metadata?: { namespace?: string; annotations?: Record<string, string> | undefined };
}

/** Whether objects of `from` may read this Secret or ConfigMap (found in namespace `namespace`). */
export function grantsReadTo(target: Annotated | undefined, namespace: string, from: string): boolean {
  if (namespace === from) return true;
  const grant = target?.metadata?.annotations?.[READ_GRANT_ANNOTATION];
  if (!grant) return false;
  return grant.split(',').some((entry) => {
    const value = entry.trim();
    return value === '*' || value === from;
  });
}

/** What to say of a Secret or ConfigMap of another namespace that cannot be read, existing or not. */
export function unreadableMessage(kind: string, namespace: string, name: string, from: string): string {
  return `${kind} ${namespace}/${name} ${unreadableDetail(kind, from)}`;
}

/** The same, after the name of the Secret or ConfigMap. */
export function unreadableDetail(kind: string, from: string): string {
  return `cannot be read from namespace ${from}: objects only read Secrets and ConfigMaps of their own namespace, unless the ${kind} lists ${from} in its annotation ${READ_GRANT_ANNOTATION}`;
}

interface Dependency {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The references of an object (of namespace `from`) to objects of ours that do not let it refer to
 * them, each with what to say. Secrets and ConfigMaps are left to their readers (see grantsReadTo).
 */
export function refusedReferences(
  dependencies: Dependency[],
  from: string,
  find: (d: Dependency) => Annotated | undefined,
): string[] {
  return dependencies
    .filter((d) => d.kind !== 'Secret' && d.kind !== 'ConfigMap' && d.namespace !== from)
    .filter((d) => {
      const target = find(d);
      return !!target?.metadata?.annotations?.[READ_GRANT_ANNOTATION] && !grantsReadTo(target, d.namespace, from);
    })
    .map(
      (d) =>
        `${d.kind} ${d.namespace}/${d.name} does not let objects of namespace ${from} refer to it: its annotation ${READ_GRANT_ANNOTATION} does not list ${from}`,
    );
}
