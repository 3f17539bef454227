// How an object names what it manages in APIM (see identityProblems in @gko/mapi): a spec.hrid other
// than the one its namespace and name make is refused with the value it must have, and so is any id,
// crossId or HRID that another object of the same APIM environment holds first, naming that object.
// The controllers refuse the same objects when the webhook is bypassed.
import { claimLookup, identityProblems, type ClaimingObject, type ClaimLookup, type ClaimReader } from '@gko/mapi';
import { error, type AdmissionInput, type Finding, type Lookups } from './rule.ts';

/** What the objects of the cluster claim, as the lookups see them. */
export function claimsOf(lookups: Lookups): ClaimLookup {
  const reader: ClaimReader = {
    byIndex: (k, index, value) => lookups.byIndex(k as never, index, value),
    get: (k, namespace, name) => lookups.get(k as never, namespace, name),
  };
  return claimLookup(reader);
}

export function identityFindings(kind: string, input: AdmissionInput, lookups: Lookups): Finding[] {
  // The status of an update is the stored one (kube-apiserver keeps it); the previous object has it too.
  const status = input.object.status ?? input.oldObject?.status;
  const object = { ...input.object, kind, metadata: { ...input.object.metadata, namespace: input.namespace } };
  return identityProblems({ ...object, ...(status ? { status } : {}) } as ClaimingObject, claimsOf(lookups)).map(
    (problem) => error(problem.path, problem.message),
  );
}
