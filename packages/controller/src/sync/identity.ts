// The controllers hold to the identity rules the webhook enforces (see identityProblems in @gko/mapi),
// for objects that reached the cluster without it: an object naming what another object manages in
// APIM is neither synchronised nor, when deleted, removed from APIM under that name.
import {
  IDENTITY_FAMILIES,
  IDENTITY_INDEX,
  claimLookup,
  identityIndexValues,
  identityProblems,
  type ClaimingObject,
} from '@gko/mapi';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { IndexedCache } from '../dependencies/users.ts';
import type { CacheReader } from '../reconcile/contract.ts';
import { InvalidSpecError } from '../reconcile/errors.ts';

/** Installs the index of what each object claims, on the kinds that claim (shared with the webhook). */
export function installIdentityIndexes(cache: IndexedCache): void {
  for (const kind of Object.keys(IDENTITY_FAMILIES)) cache.addIndex(kind, IDENTITY_INDEX, identityIndexValues);
}

/** The problems of how the object names what it manages in APIM, as one line each. */
export function identityIssues(object: KubernetesObject, cache: CacheReader): string[] {
  if (!IDENTITY_FAMILIES[object.kind ?? '']) return [];
  return identityProblems(object as ClaimingObject, claimLookup(cache)).map((p) => `${p.path}: ${p.message}`);
}

/** Refuses to synchronise an object that names what it may not. */
export function assertOwnIdentity(object: KubernetesObject, cache: CacheReader): void {
  const issues = identityIssues(object, cache);
  if (issues.length > 0) throw new InvalidSpecError('IdentityConflict', issues.join('; '));
}

/**
 * An object naming an APIM object by spec.id that never synchronised (no id in its status) took
 * nothing over: deleting it must not delete what its spec.id names (it may have been refused as
 * another object's). The warning to record, or undefined when the object may remove what it names.
 */
export function untakenWarning(object: { spec?: unknown; status?: { id?: string } }): string | undefined {
  const named = (object.spec as { id?: string } | undefined)?.id;
  return named && !object.status?.id
    ? `not removed from APIM: ${named}, which spec.id names, was never synchronised by this object`
    : undefined;
}
