// Field paths in the two styles kube-apiserver uses: schema validation writes map keys after a dot
// (spec.plans.KeyLess.name), CEL validation between brackets (spec.plans[KeyLess].name). Lists are
// indexed with brackets in both (spec.flows[0]).

export type Segment = { key: string } | { index: number };
export type PathStyle = 'schema' | 'cel';

export function formatPath(
  segments: readonly Segment[],
  style: PathStyle,
  mapKeys: ReadonlySet<number> = new Set(),
): string {
  let out = '';
  segments.forEach((segment, position) => {
    if ('index' in segment) out += `[${segment.index}]`;
    else if (style === 'cel' && mapKeys.has(position)) out += `[${segment.key}]`;
    else out += out === '' ? segment.key : `.${segment.key}`;
  });
  return out;
}

/** Splits an ajv instance path (a JSON pointer) into segments, telling list indexes from keys. */
export function segmentsOf(pointer: string, root: unknown): Segment[] {
  if (pointer === '') return [];
  const segments: Segment[] = [];
  let value: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(token);
      segments.push({ index });
      value = value[index];
    } else {
      segments.push({ key: token });
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[token] : undefined;
    }
  }
  return segments;
}
