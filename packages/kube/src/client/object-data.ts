// The data of a Secret or a ConfigMap as text: Secret values are base64 in the API, ConfigMap values
// are text already.
import { grantsReadTo } from '@gko/api';
import { DataNotLoadedError, isWithoutData } from '../informer/data-policy.ts';

export function objectData(object: unknown): Record<string, string> | undefined {
  if (!object) return undefined;
  // Cached as metadata only: its data is read before a reconcile that needs it; one that gets here
  // anyway (read through another object) waits for it rather than take the object for empty.
  if (isWithoutData(object)) throw new DataNotLoadedError(object);
  const { kind, data } = object as { kind?: string; data?: Record<string, string> };
  if (kind === 'Secret')
    return Object.fromEntries(
      Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
  return { ...(data ?? {}) };
}

/**
 * The data of a Secret or ConfigMap of namespace `namespace`, for an object of namespace `from`: only
 * when that namespace may read it (its own, or one its grant annotation lists); else undefined, as
 * for a missing one.
 */
export function grantedData(object: unknown, namespace: string, from: string): Record<string, string> | undefined {
  return grantsReadTo(object as Parameters<typeof grantsReadTo>[0], namespace, from) ? objectData(object) : undefined;
}
