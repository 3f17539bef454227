// Templating in specs: a string may take values from a Secret or a ConfigMap of the object's own
// namespace, written [[ secret `name/key` ]] or [[ configmap `name/key` ]] (double quotes work too).
// These functions find and replace the markers; reading the sources is the caller's business.

export type TemplateSource = 'secret' | 'configmap';

export interface TemplateReference {
  source: TemplateSource;
  name: string;
  key: string;
  /** Path of the string field holding the marker, e.g. spec.plans.free.security.type. */
  path: string;
}

export interface TemplateProblem {
  path: string;
  message: string;
}

const MARKER = /\[\[(.*?)\]\]/g;
const CALL = /^\s*(secret|configmap)\s+(?:`([^`]*)`|"([^"]*)")\s*$/;

type Parsed = { reference: Omit<TemplateReference, 'path'> } | { problem: string };

function parseMarker(inner: string): Parsed {
  const call = CALL.exec(inner);
  if (!call)
    return {
      problem: `[[${inner}]] is not a template the operator knows: use [[ secret \`name/key\` ]] or [[ configmap \`name/key\` ]]`,
    };
  const argument = call[2] ?? call[3] ?? '';
  const slash = argument.indexOf('/');
  if (slash <= 0 || slash === argument.length - 1) return { problem: `${call[1]} takes "name/key", not "${argument}"` };
  return {
    reference: { source: call[1] as TemplateSource, name: argument.slice(0, slash), key: argument.slice(slash + 1) },
  };
}

type Segment = string | number;

function formatPath(basePath: string, segments: readonly Segment[]): string {
  return segments.reduce<string>((path, s) => (typeof s === 'number' ? `${path}[${s}]` : `${path}.${s}`), basePath);
}

/** Calls `visit` for every string that holds a marker; walks without copying anything. */
function scan(value: unknown, segments: Segment[], visit: (text: string, segments: readonly Segment[]) => void): void {
  if (typeof value === 'string') {
    if (value.includes('[[')) visit(value, segments);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      segments.push(i);
      scan(value[i], segments, visit);
      segments.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      segments.push(key);
      scan((value as Record<string, unknown>)[key], segments, visit);
      segments.pop();
    }
  }
}

/** The value with `replace` applied to the strings holding markers; untouched parts are shared, not copied. */
function rewrite(
  value: unknown,
  segments: Segment[],
  replace: (text: string, segments: readonly Segment[]) => string,
): unknown {
  if (typeof value === 'string') return value.includes('[[') ? replace(value, segments) : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      segments.push(i);
      const next = rewrite(value[i], segments, replace);
      segments.pop();
      if (next !== value[i]) (copy ??= [...(value as unknown[])])[i] = next;
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let copy: Record<string, unknown> | undefined;
    for (const key in value) {
      const current = (value as Record<string, unknown>)[key];
      segments.push(key);
      const next = rewrite(current, segments, replace);
      segments.pop();
      if (next !== current) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
    }
    return copy ?? value;
  }
  return value;
}

export function hasTemplates(value: unknown): boolean {
  let found = false;
  scan(value, [], () => (found = true));
  return found;
}

/** Every marker in the value, and every marker the operator cannot read. */
export function templateReferences(
  value: unknown,
  basePath = 'spec',
): { references: TemplateReference[]; problems: TemplateProblem[] } {
  const references: TemplateReference[] = [];
  const problems: TemplateProblem[] = [];
  scan(value, [], (text, segments) => {
    const path = formatPath(basePath, segments);
    for (const match of text.matchAll(MARKER)) {
      const parsed = parseMarker(match[1] ?? '');
      if ('reference' in parsed) references.push({ ...parsed.reference, path });
      else problems.push({ path, message: parsed.problem });
    }
  });
  return { references, problems };
}

/**
 * The value with every marker replaced by what `read` returns for it. Markers whose value is missing
 * (or empty) are left as they are and listed.
 */
export function compileTemplates<T>(
  value: T,
  read: (reference: Omit<TemplateReference, 'path'>) => string | undefined,
  basePath = 'spec',
): { value: T; missing: TemplateReference[]; problems: TemplateProblem[] } {
  const missing: TemplateReference[] = [];
  const problems: TemplateProblem[] = [];
  const compiled = rewrite(value, [], (text, segments) =>
    text.replace(MARKER, (marker, inner: string) => {
      const path = formatPath(basePath, segments);
      const parsed = parseMarker(inner);
      if ('problem' in parsed) {
        problems.push({ path, message: parsed.problem });
        return marker;
      }
      const found = read(parsed.reference);
      if (found === undefined || found === '') {
        missing.push({ ...parsed.reference, path });
        return marker;
      }
      return found;
    }),
  ) as T;
  return { value: compiled, missing, problems };
}
