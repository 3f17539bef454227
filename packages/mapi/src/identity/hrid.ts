// Human-readable ids (HRIDs): how the Automation API names what the operator manages. An object's
// HRID is `<namespace>-<name>`, computed and never taken from the spec, so that no namespace can name
// (and so overwrite, read or delete) another namespace's object in a shared APIM environment. A plan's
// or page's HRID is its map key with each space and each dot made a '-', one for one, as upstream's
// operator makes them: the same keys give the same plans in APIM.

/** The HRID APIM knows a namespaced object by. */
export function objectHrid(metadata: { namespace?: string; name?: string }): string {
  return `${metadata.namespace ?? 'default'}-${metadata.name ?? ''}`;
}

/** `<namespace>/<name>`: what upstream's operator hashes crossIds of v2 APIs and pages from. */
export function namespacedName(metadata: { namespace?: string; name?: string }): string {
  return `${metadata.namespace ?? 'default'}/${metadata.name ?? ''}`;
}

/** A map key (plan, page) as an HRID. */
export function keyHrid(key: string): string {
  return key.replace(/[ .]/g, '-');
}
