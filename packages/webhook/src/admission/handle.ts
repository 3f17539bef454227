// One admission request, start to finish: the kind's rules run, and their findings become the answer
// kubectl shows. A denial names the object and every field at fault, not only the first.
import { isDeepStrictEqual } from 'node:util';
import {
  API_VERSION,
  KINDS_WITHOUT_OWN_COPY,
  managementPolicies,
  objectReferences,
  onlyPoliciesChanged,
  refusedReferences,
  type KindName,
} from '@gko/api';
import { admissionFor } from '../registry.ts';
import type { AdmissionInput, Finding, KindAdmission, KubeObject, LookupSource, Lookups } from '../rules/rule.ts';
import { jsonPatch } from './json-patch.ts';
import { MAX_NESTING, tooDeeplyNested } from './nesting.ts';
import type { AdmissionRequest, Verdict } from './review.ts';

export type WebhookMode = 'validate' | 'mutate';

const line = (f: Finding) => (f.path ? `${f.path}: ${f.message}` : f.message);

export function verdictOf(kind: string, namespace: string, name: string, findings: Finding[]): Verdict {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning').map(line);
  if (errors.length === 0) return { allowed: true, ...(warnings.length ? { warnings } : {}) };
  const object = `${kind} ${namespace}/${name}`;
  const message =
    errors.length === 1
      ? `${object}: ${line(errors[0]!)}`
      : `${object} has ${errors.length} problems:\n* ${errors.map(line).join('\n* ')}`;
  return { allowed: false, code: 403, message, ...(warnings.length ? { warnings } : {}) };
}

function inputOf(request: AdmissionRequest): AdmissionInput {
  const object = (request.operation === 'DELETE' ? request.oldObject : request.object) as KubeObject | undefined;
  if (!object?.metadata) throw new Error(`the ${request.operation} request carries no object`);
  return {
    operation: request.operation,
    object,
    ...(request.operation === 'UPDATE' && request.oldObject
      ? { oldObject: request.oldObject as unknown as KubeObject }
      : {}),
    namespace: request.namespace || object.metadata.namespace || '',
    name: request.name || object.metadata.name || '',
    dryRun: request.dryRun,
  };
}

/**
 * An update the rules have nothing to say about: the object is being deleted (only finalizers can
 * still change), or neither its spec nor its annotations changed (rules read nothing else). Refusing
 * it for what changed around the object since (a referenced object gone, a date passed) would leave
 * labels unchangeable and finalizers stuck.
 */
export function unchangedForRules(input: AdmissionInput): boolean {
  if (input.operation !== 'UPDATE' || !input.oldObject) return false;
  if (input.object.metadata.deletionTimestamp) return true;
  return (
    isDeepStrictEqual(input.object.spec, input.oldObject.spec) &&
    isDeepStrictEqual(input.object.metadata.annotations ?? {}, input.oldObject.metadata.annotations ?? {})
  );
}

/** References to objects of other namespaces that do not let this namespace refer to them. */
function referenceFindings(input: AdmissionInput, lookups: Lookups): Finding[] {
  return refusedReferences(objectReferences(input.object), input.namespace, (d) =>
    lookups.get<KubeObject>(d.kind as KindName, d.namespace, d.name),
  ).map((message) => ({ severity: 'error', path: 'spec', message }));
}

export async function handleAdmission(
  mode: WebhookMode,
  request: AdmissionRequest,
  source: LookupSource,
  signal: AbortSignal = new AbortController().signal,
): Promise<Verdict> {
  const admission =
    `${request.kind.group}/${request.kind.version}` === API_VERSION ? admissionFor(request.kind.kind) : undefined;
  if (!admission)
    return {
      allowed: false,
      code: 400,
      message: `this webhook does not handle ${request.kind.kind} of ${request.kind.group}/${request.kind.version}`,
    };
  const registered = mode === 'validate' ? admission.validates : (admission.mutates ?? []);
  if (!registered.includes(request.operation))
    return {
      allowed: false,
      code: 400,
      message: `this webhook does not ${mode} ${request.operation} of ${request.kind.kind}: it was not registered for it`,
    };
  const input = inputOf(request);
  // What the rules let through unchanged (a delete, finalizers released) is never held up by this.
  if (unchangedForRules(input)) return { allowed: true };
  const deep = input.operation === 'DELETE' ? undefined : tooDeeplyNested(input.object);
  if (deep)
    return verdictOf(request.kind.kind, input.namespace, input.name, [
      { severity: 'error', path: deep, message: `nested more than ${MAX_NESTING} levels deep` },
    ]);
  const kind = request.kind.kind;
  if (mode === 'validate') {
    const verdict = verdictOf(
      kind,
      input.namespace,
      input.name,
      await validationFindings(admission, input, source, signal),
    );
    // A namespace being deleted goes whole: a delete guard holding one object would hold it for ever.
    if (
      !verdict.allowed &&
      input.operation === 'DELETE' &&
      (await source.namespaceTerminating(input.namespace, signal))
    )
      return {
        allowed: true,
        warnings: [
          `namespace ${input.namespace} is being deleted, so ${kind} ${input.namespace}/${input.name} goes too: ${verdict.message ?? ''}`,
        ],
      };
    return verdict;
  }
  const { object, findings } = await mutation(admission, input, source, signal);
  const verdict = verdictOf(kind, input.namespace, input.name, findings);
  if (!verdict.allowed || !object) return verdict;
  const patch = jsonPatch(input.object, object);
  return patch.length > 0 ? { ...verdict, patch } : verdict;
}

/** What the validating rules of the kind find in a request, before it becomes an answer. */
export async function validationFindings(
  admission: KindAdmission,
  input: AdmissionInput,
  source: LookupSource,
  signal: AbortSignal,
): Promise<Finding[]> {
  const kind = admission.kind;
  // Pausing (or orphaning) an object must work when its references or APIM are broken, as in an
  // incident: an update of the policy annotations alone is checked for those alone.
  if (policiesOnlyUpdate(input)) return policyRules(kind, input, Promise.resolve([]));
  const lookups = await source.forRequest(input, signal);
  const refused = input.operation === 'DELETE' ? [] : referenceFindings(input, lookups);
  // Nothing else is checked through an object this namespace may not use (no APIM call with its credentials).
  if (refused.length > 0) return refused;
  return policyRules(kind, input, admission.validate(input, lookups));
}

/** The object the mutating rules of the kind would store instead (none: as it is), with their findings. */
export async function mutation(
  admission: KindAdmission,
  input: AdmissionInput,
  source: LookupSource,
  signal: AbortSignal,
): Promise<{ object?: KubeObject; findings: Finding[] }> {
  if (!admission.mutate) return { findings: [] };
  // Mutation comes before the schema check: an object without a spec is left for it to refuse.
  const spec = input.object.spec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return { findings: [] };
  // A mutation reads at most what the object names itself (a Cloud context's token Secret).
  return admission.mutate(input, await source.forRequest(input, signal, 1));
}

/**
 * The management policies of the object's annotations: unknown values are refused; and the delete of
 * an object whose deletion policy is orphan leaves everything in APIM, so what would hold it up
 * (objects still using it) is said as a warning rather than refused.
 */
async function policyRules(kind: string, input: AdmissionInput, findings: Promise<Finding[]>): Promise<Finding[]> {
  const annotations = input.object.metadata.annotations;
  const { policies, problems } = managementPolicies(annotations);
  const found = await findings;
  const ownCopy = !KINDS_WITHOUT_OWN_COPY.includes(kind);
  if (input.operation !== 'DELETE') {
    const set = problems.length === 0 && !ownCopy && managementPolicies(undefined).policies;
    const inert =
      set && JSON.stringify(set) !== JSON.stringify(policies)
        ? [
            {
              severity: 'warning' as const,
              path: 'metadata.annotations',
              message: `a ${kind} has no copy of its own in APIM: the gravitee.io policy annotations do nothing for it (set them on the objects that use it)`,
            },
          ]
        : [];
    return [
      ...problems.map((p): Finding => ({ severity: 'error', path: p.path, message: p.message })),
      ...inert,
      ...found,
    ];
  }
  // What leaves APIM as it is on delete (orphan, or an object only observed) holds nothing up.
  if (!ownCopy || (policies.deletion !== 'orphan' && policies.reconcile !== 'observe')) return found;
  const why = policies.deletion === 'orphan' ? 'deletion policy orphan' : 'only observed';
  return found.map((f) => ({
    ...f,
    severity: 'warning',
    message: `${why}: what it made in APIM stays, although ${f.message}`,
  }));
}

function policiesOnlyUpdate(input: AdmissionInput): boolean {
  const before = input.oldObject;
  if (input.operation !== 'UPDATE' || !before) return false;
  return (
    isDeepStrictEqual(before.spec, input.object.spec) &&
    !isDeepStrictEqual(before.metadata.annotations, input.object.metadata.annotations) &&
    onlyPoliciesChanged(before.metadata.annotations, input.object.metadata.annotations)
  );
}
