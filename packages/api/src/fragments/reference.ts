import { named, object, required, string, type Schema } from '../schema/index.ts';

/** A reference to another object of the cluster; without a namespace, this object's namespace. */
export function reference(what: string): Schema {
  return named(
    'ObjectReference',
    object(`Reference to ${what}. Without a namespace, the object is looked up in this object's namespace.`, {
      name: required(string('Name of the referenced object.')),
      namespace: string("Namespace of the referenced object. Defaults to this object's namespace."),
      kind: string('Kind of the referenced object, where more than one kind can be referenced.'),
    }),
  );
}

export const contextRef = reference(
  'the ManagementContext that says which APIM installation, organization and environment this object is synchronised with',
);
