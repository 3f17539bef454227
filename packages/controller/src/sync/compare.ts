// Does the copy APIM holds still say what the cluster declares? APIM answers with more than it was
// sent (ids, dates, defaults it fills in) and may leave out what is empty, so the comparison asks
// whether the declared value is contained in the stored one, field by field.

function contained(declared: unknown, stored: unknown): boolean {
  if (declared === undefined || declared === null) return true;
  if (Array.isArray(declared)) {
    if (declared.length === 0)
      return stored === undefined || stored === null || (Array.isArray(stored) && stored.length === 0);
    return (
      Array.isArray(stored) && stored.length === declared.length && declared.every((d, i) => contained(d, stored[i]))
    );
  }
  if (typeof declared === 'object') {
    const entries = Object.entries(declared as Record<string, unknown>);
    if (entries.length === 0) return true;
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
    return entries.every(([key, value]) => contained(value, (stored as Record<string, unknown>)[key]));
  }
  return declared === stored;
}

/** The top-level fields of `declared` that the stored object does not hold as declared. */
export function differingFields(declared: Record<string, unknown>, stored: Record<string, unknown>): string[] {
  return Object.keys(declared)
    .filter((key) => !contained(declared[key], stored[key]))
    .sort();
}

/** The difference that says APIM has no copy at all: applying the object creates it. */
export const missingFromApim = (what: string) => `the ${what} is missing from APIM`;

export const isMissingFromApim = (difference: string) => /^the .+ is missing from APIM$/.test(difference);
