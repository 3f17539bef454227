// The context paths an API takes on the gateways, written so that two APIs conflict exactly when
// their keys are equal: host (lower case, empty for any host) and path with one leading and one
// trailing slash.

export interface ContextPath {
  host: string;
  path: string;
}

export function normalisePath(path: string): string {
  const trimmed = path.trim().replace(/\/{2,}/g, '/');
  return `/${trimmed.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
}

export function contextPathKey(entry: { host?: string | undefined; path: string }): string {
  return `${(entry.host ?? '').trim().toLowerCase()}${normalisePath(entry.path)}`;
}

interface V4Listener {
  type?: string;
  paths?: { host?: string; path?: string }[];
}

/** The paths of the HTTP listeners of a v4 API (definition or Automation API body alike). */
export function v4ContextPaths(listeners: readonly unknown[] | undefined): ContextPath[] {
  return ((listeners ?? []) as V4Listener[])
    .filter((l) => l.type === 'HTTP')
    .flatMap((l) => l.paths ?? [])
    .filter((p): p is { host?: string; path: string } => typeof p.path === 'string')
    .map((p) => ({ host: (p.host ?? '').trim().toLowerCase(), path: normalisePath(p.path) }));
}

/** The virtual hosts of a v2 API. */
export function v2ContextPaths(
  proxy: { virtual_hosts?: { host?: string; path?: string }[] } | undefined,
): ContextPath[] {
  return (proxy?.virtual_hosts ?? [])
    .filter((v): v is { host?: string; path: string } => typeof v.path === 'string')
    .map((v) => ({ host: (v.host ?? '').trim().toLowerCase(), path: normalisePath(v.path) }));
}

export function formatContextPath(entry: ContextPath): string {
  return `${entry.host}${entry.path}`;
}
