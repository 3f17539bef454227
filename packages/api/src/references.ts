// References between custom resources are {name, namespace?, kind?}. An omitted namespace means the
// namespace of the object that holds the reference; references may cross namespaces.

export interface ObjectReference {
  name: string;
  namespace?: string | undefined;
  kind?: string | undefined;
}

export interface ResolvedReference {
  name: string;
  namespace: string;
  kind?: string;
}

export function resolveReference(reference: ObjectReference, referrerNamespace: string): ResolvedReference {
  const namespace = reference.namespace ? reference.namespace : referrerNamespace;
  return reference.kind
    ? { name: reference.name, namespace, kind: reference.kind }
    : { name: reference.name, namespace };
}

/** `namespace/name`, the key used by caches and in messages. */
export function referenceKey(reference: ObjectReference, referrerNamespace: string): string {
  const { namespace, name } = resolveReference(reference, referrerNamespace);
  return `${namespace}/${name}`;
}

export function sameReference(a: ObjectReference, aNamespace: string, b: ObjectReference, bNamespace: string): boolean {
  return referenceKey(a, aNamespace) === referenceKey(b, bNamespace);
}
