// The data of a Secret or a ConfigMap as text: Secret values are base64 in the API, ConfigMap values
// are text already.

export function objectData(object: unknown): Record<string, string> | undefined {
  if (!object) return undefined;
  const { kind, data } = object as { kind?: string; data?: Record<string, string> };
  if (kind === 'Secret')
    return Object.fromEntries(
      Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
  return { ...(data ?? {}) };
}
