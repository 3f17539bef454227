// How an object names what it manages in APIM (see identityProblems in @gko/mapi): a spec.hrid other
// than the one its namespace and name make is refused with the value it must have, and so is any id,
// crossId or HRID that another object of the same APIM environment holds first, naming that object.
// The controllers refuse the same objects when the webhook is bypassed.
import { claimLookup, identityProblems, type ClaimingObject, type ClaimLookup, type ClaimReader } from '@gko/mapi';
import { error, type AdmissionInput, type Finding, type KubeObject, type Lookups } from './rule.ts';

/** What the objects of the cluster claim, as the lookups see them. */
export function claimsOf(lookups: Lookups): ClaimLookup {
  const reader: ClaimReader = {
    byIndex: (k, index, value) => lookups.byIndex(k as never, index, value),
    get: (k, namespace, name) => lookups.get(k as never, namespace, name),
  };
  return claimLookup(reader);
}

/**
 * The object with its status: what decides how APIM knows it. The status of an update is the stored
 * one (kube-apiserver keeps it), which the previous object has too.
 */
export function withStatus<T extends KubeObject>(input: AdmissionInput): T {
  const status = input.object.status ?? input.oldObject?.status;
  return { ...input.object, ...(status ? { status } : {}) } as T;
}

export function identityFindings(kind: string, input: AdmissionInput, lookups: Lookups): Finding[] {
  const object = withStatus<KubeObject>(input);
  const claiming = { ...object, kind, metadata: { ...object.metadata, namespace: input.namespace } };
  return identityProblems(claiming as ClaimingObject, claimsOf(lookups)).map((problem) =>
    error(problem.path, problem.message),
  );
}
