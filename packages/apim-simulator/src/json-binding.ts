// How APIM reads a JSON body: its binding takes a null for an optional field as if the field were not
// there. Other clients (the upstream Go operator among them) send null for lists and objects they
// leave empty; a stand-in stricter than APIM would refuse their valid requests. A null for a required
// field becomes a missing field, which the contract still refuses, as APIM does.

/** The value with every object property holding null removed, at any depth (list items are kept). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}
