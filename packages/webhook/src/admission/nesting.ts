// How deep an object is nested, measured without recursion: an object nested thousands of levels deep
// (which no API definition needs) would otherwise exhaust the stack of whatever walks it next (the
// schema validator, comparisons), and get an unclear answer instead of a denial naming the field.

/** Deeper than any definition of ours needs, far below what exhausts the stack. */
export const MAX_NESTING = 100;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/** The path of the first value nested deeper than `max` levels (its first segments), or undefined. */
export function tooDeeplyNested(value: unknown, max = MAX_NESTING): string | undefined {
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.value === null || typeof frame.value !== 'object') continue;
    if (frame.depth >= max) return pathOf(frame);
    const entries: [string | number, unknown][] = Array.isArray(frame.value)
      ? frame.value.map((v, i) => [i, v])
      : Object.entries(frame.value);
    for (const [key, child] of entries) stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
  }
  return undefined;
}

/** The first segments of the path to the frame: enough to find the field, never the whole depth. */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  keys.reverse();
  const shown = keys
    .slice(0, 6)
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`))
    .join('');
  return keys.length > 6 ? `${shown}...` : shown;
}
