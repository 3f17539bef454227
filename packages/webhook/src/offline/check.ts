// Manifests checked without a cluster, as an apply would be checked in one (a create, or an update of
// an object the cluster is known to hold): each gravitee.io object goes through the mutating rules of
// its kind, the CRD's schema with its defaults and CEL rules (the validator the tests compare with
// kube-apiserver), then the validating rules of its kind, against the other objects of the set as if
// they were all in the cluster already. The answers are the webhook's, word for word: only the source
// of the lookups differs.
import { GROUP, type ManagementContext } from '@gko/api';
import { createValidator, formatFieldError, type FieldError, type Validator } from '@gko/api/validation';
import type { ClientOptions } from '@gko/mapi';
import { mutation, unchangedForRules, validationFindings, verdictOf } from '../admission/handle.ts';
import { MAX_NESTING, tooDeeplyNested } from '../admission/nesting.ts';
import { MemoryLookups } from '../lookups/memory-lookups.ts';
import { admissionFor } from '../registry.ts';
import type { AdmissionInput, AdmissionSettings, Finding, KubeObject } from '../rules/rule.ts';

/**
 * Who says so: the CRD's schema (kube-apiserver), the rules of the admission webhook, or the input
 * itself (an object given twice: the later one replaces the earlier, as with kubectl apply).
 */
export type FindingSource = 'schema' | 'webhook' | 'input';

export interface ReportedFinding extends Finding {
  source: FindingSource;
}

export interface ObjectReport<O = unknown> {
  kind: string;
  namespace: string;
  name: string;
  /** Where the object came from, as given with it. */
  origin?: O;
  /** Errors and warnings, in the order they are found; unresolved references are errors with `missing`. */
  findings: ReportedFinding[];
  /** Refused: what kubectl would print after "denied the request:" (or the schema's errors). */
  refusal?: string;
  /** The object as the cluster would store it (mutated, defaulted), once its schema holds. */
  stored?: KubeObject;
}

export interface CheckOptions {
  /** The namespace of objects that name none, as kubectl's default namespace. */
  namespace: string;
  /** References to objects the set does not hold are taken as satisfied rather than reported. */
  assumePresent?: boolean;
  /** Objects of the cluster, read beforehand: the set's own objects replace those of the same name. */
  present?: KubeObject[];
  /** The one context through which APIM is asked (credentials, dry runs); none: APIM is not asked. */
  apimContext?: { namespace: string; name: string };
  clientOptions?: ClientOptions;
  settings?: Partial<AdmissionSettings>;
  now?: () => Date;
  validator?: Validator;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Of our API group, in whatever version: one we do not serve is reported, not skipped. */
export const ofGraviteeGroup = (object: unknown): boolean =>
  isRecord(object) && String(object['apiVersion']).startsWith(`${GROUP}/`);

/** The other objects of a set (Secrets, ConfigMaps...), as the cluster would store them: what references read. */
export const referencedObjects = (items: { object: unknown }[], namespace: string): KubeObject[] =>
  items
    .filter((i) => !ofGraviteeGroup(i.object) && isRecord(i.object))
    .map((i) => storedForm(i.object as Record<string, unknown>, namespace));

/** What the lookups need of a non-gravitee object of the set (Secrets, ConfigMaps), as the API server stores it. */
export function storedForm(object: Record<string, unknown>, namespace: string): KubeObject {
  const metadata = { ...(isRecord(object['metadata']) ? object['metadata'] : {}) } as KubeObject['metadata'];
  metadata.namespace ||= namespace;
  const stored = { ...object, metadata } as KubeObject & Record<string, unknown>;
  // A Secret's stringData is merged into its data, base64-encoded, as the API server does on write.
  if (object['kind'] === 'Secret' && isRecord(object['stringData'])) {
    const data = { ...(isRecord(object['data']) ? object['data'] : {}) };
    for (const [key, value] of Object.entries(object['stringData']))
      data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    stored['data'] = data;
    delete stored['stringData'];
  }
  return stored;
}

/** A schema error as a finding: the field apart, the rest in kube-apiserver's words. */
const schemaFinding = (error: FieldError): ReportedFinding => ({
  severity: 'error',
  path: error.path,
  message: error.type === 'Unknown' ? 'unknown field' : formatFieldError(error).slice(error.path.length + 2),
  source: 'schema',
});

interface Admitted<O> {
  report: ObjectReport<O>;
  input?: AdmissionInput;
}

/** Checks every gravitee.io object of the set; other objects only serve as lookups. */
export async function checkManifests<O>(
  items: { object: unknown; origin?: O }[],
  options: CheckOptions,
): Promise<ObjectReport<O>[]> {
  const validator = options.validator ?? createValidator();
  const signal = new AbortController().signal;
  const others = referencedObjects(items, options.namespace);
  const apimContext = options.apimContext;
  const lookups = new MemoryLookups({
    objects: [...(options.present ?? []), ...others],
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
    ...(options.now ? { now: options.now } : {}),
    consultApim: (context: ManagementContext) =>
      !!apimContext &&
      context.metadata.namespace === apimContext.namespace &&
      context.metadata.name === apimContext.name,
  });
  try {
    // First what kube-apiserver does with each object alone: mutation, then schema and defaults.
    const admitted: Admitted<O>[] = [];
    for (const item of items.filter((i) => ofGraviteeGroup(i.object)))
      admitted.push(await admit(item, options, validator, lookups, signal));
    markReplaced(admitted.map((a) => a.report));
    // Then the rules, with every object that kube-apiserver would have stored in the lookups.
    for (const { report } of admitted) if (report.stored) lookups.put(report.stored);
    for (const { report, input } of admitted) {
      if (!input) continue;
      const admission = admissionFor(report.kind)!;
      const findings = await validationFindings(admission, input, lookups, signal);
      report.findings.push(...findings.map((f) => ({ ...f, source: 'webhook' as const })));
      const kept = options.assumePresent ? report.findings.filter((f) => !f.missing) : report.findings;
      report.findings = kept;
      const verdict = verdictOf(report.kind, report.namespace, report.name, kept);
      if (!verdict.allowed) report.refusal = verdict.message;
    }
    return admitted.map((a) => a.report);
  } finally {
    await lookups.close();
  }
}

/** Objects given again later in the input: only the last one given stays in the cluster. */
function markReplaced(reports: ObjectReport[]): void {
  const last = new Map<string, number>();
  reports.forEach((r, i) => last.set(`${r.kind}/${r.namespace}/${r.name}`, i));
  reports.forEach((r, i) => {
    if (last.get(`${r.kind}/${r.namespace}/${r.name}`) !== i)
      r.findings.push({
        severity: 'warning',
        path: 'metadata.name',
        message:
          'given again later in the input: the later one replaces this one, and is the one the other objects see',
        source: 'input',
      });
  });
}

async function admit<O>(
  item: { object: unknown; origin?: O },
  options: CheckOptions,
  validator: Validator,
  lookups: MemoryLookups,
  signal: AbortSignal,
): Promise<Admitted<O>> {
  const given = item.object as KubeObject & Record<string, unknown>;
  const metadata = { ...(isRecord(given.metadata) ? given.metadata : {}) };
  const namespace = metadata.namespace || options.namespace;
  const kind = String(given.kind ?? '');
  const report: ObjectReport<O> = {
    kind,
    namespace,
    name: metadata.name ?? '',
    ...(item.origin !== undefined ? { origin: item.origin } : {}),
    findings: [],
  };
  const refuse = (findings: ReportedFinding[], refusal?: string): Admitted<O> => {
    report.findings.push(...findings);
    report.refusal = refusal ?? verdictOf(kind, namespace, report.name, findings).message;
    return { report };
  };
  const admission = admissionFor(kind);
  let object: KubeObject = { ...given, metadata: { ...metadata, namespace } };
  const deep = tooDeeplyNested(object);
  if (deep)
    return refuse([
      { severity: 'error', path: deep, message: `nested more than ${MAX_NESTING} levels deep`, source: 'webhook' },
    ]);
  // An object the cluster already holds is an update of it: transition rules and the rules of
  // updates apply, and it keeps the status (ids in APIM) the cluster's copy carries.
  const before = options.present?.find(
    (o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === report.name,
  );
  const operation = before ? 'UPDATE' : 'CREATE';
  const input = (o: KubeObject): AdmissionInput => ({
    operation,
    object: before ? { ...o, metadata: { ...before.metadata, ...o.metadata }, status: before.status } : o,
    ...(before ? { oldObject: before } : {}),
    namespace,
    name: report.name,
    dryRun: true,
  });
  if (admission?.mutates?.includes(operation)) {
    const mutated = await mutation(admission, input(object), lookups, signal);
    const findings = mutated.findings
      .filter((f) => !(options.assumePresent && f.missing))
      .map((f) => ({ ...f, source: 'webhook' as const }));
    if (findings.some((f) => f.severity === 'error')) return refuse(findings);
    report.findings.push(...findings);
    if (mutated.object) object = mutated.object;
  }
  const result = validator.validate(object, before);
  if (!result.valid) {
    const findings = result.errors.map(schemaFinding);
    return refuse(findings, `The ${kind} "${report.name}" is invalid: ${result.messages.join(', ')}`);
  }
  const admitted = input(result.object as unknown as KubeObject);
  report.stored = admitted.object;
  // As the webhook: an update that changes neither spec nor annotations is not checked again.
  return { report, ...(unchangedForRules(admitted) ? {} : { input: admitted }) };
}
