// Per-object management policies, set with annotations (as Crossplane's management and deletion
// policies are, per object): whether the controllers act on an object, only read its APIM copy, or
// leave it alone for now; whether deleting it removes what it made in APIM; whether a difference
// found in APIM is put back or only reported. Shared by the webhook (which refuses unknown values)
// and the controllers (which follow them).

/** `paused`: nothing is written anywhere for the object; `observe`: its APIM copy is read into its status, nothing is written. */
export const RECONCILE_ANNOTATION = 'gravitee.io/reconcile';
/** `orphan`: deleting the object leaves what it made in APIM; `delete` (default) removes it. */
export const DELETION_POLICY_ANNOTATION = 'gravitee.io/deletion-policy';
/** `report`: drift found in APIM is reported, not repaired; `repair` (default) puts the cluster's version back. */
export const DRIFT_ANNOTATION = 'gravitee.io/drift';

/**
 * Kinds with no copy of their own in APIM or on the gateways (APIs read them from the cluster): the
 * policies do nothing for them; pause the APIs that use them instead.
 */
export const KINDS_WITHOUT_OWN_COPY: readonly string[] = ['ManagementContext', 'ApiResource', 'Notification'];

/** Whether an update changes only the policy annotations: then nothing else needs checking again. */
export function onlyPoliciesChanged(
  before: Record<string, string> | undefined,
  after: Record<string, string> | undefined,
): boolean {
  const rest = (annotations: Record<string, string> | undefined) =>
    JSON.stringify(
      Object.entries(annotations ?? {})
        .filter(([key]) => !(key in VALUES))
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  return rest(before) === rest(after);
}

export interface ManagementPolicies {
  reconcile: 'active' | 'paused' | 'observe';
  deletion: 'delete' | 'orphan';
  drift: 'repair' | 'report';
}

const VALUES = {
  [RECONCILE_ANNOTATION]: ['paused', 'observe'],
  [DELETION_POLICY_ANNOTATION]: ['delete', 'orphan'],
  [DRIFT_ANNOTATION]: ['repair', 'report'],
} as const;

export interface PolicyProblem {
  path: string;
  message: string;
}

/** The policies an object's annotations set (defaults for what they leave out or get wrong), and what they get wrong. */
export function managementPolicies(annotations: Record<string, string> | undefined): {
  policies: ManagementPolicies;
  problems: PolicyProblem[];
} {
  const problems: PolicyProblem[] = [];
  const read = <A extends keyof typeof VALUES>(annotation: A): (typeof VALUES)[A][number] | undefined => {
    const value = annotations?.[annotation];
    if (value === undefined) return undefined;
    if ((VALUES[annotation] as readonly string[]).includes(value)) return value as (typeof VALUES)[A][number];
    problems.push({
      path: `metadata.annotations[${annotation}]`,
      message: `${JSON.stringify(value)} is not a value of ${annotation}: use ${VALUES[annotation].join(' or ')}${annotation === RECONCILE_ANNOTATION ? ', or leave it out' : ''}`,
    });
    return undefined;
  };
  return {
    policies: {
      reconcile: read(RECONCILE_ANNOTATION) ?? 'active',
      deletion: read(DELETION_POLICY_ANNOTATION) ?? 'delete',
      drift: read(DRIFT_ANNOTATION) ?? 'repair',
    },
    problems,
  };
}
