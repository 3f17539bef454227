// The contract of admission rules: pure functions of the request (object, old object, operation)
// and of lookups (the informer cache, APIM), returning findings. No rule writes anything anywhere.
import type { IngressLike, KindName, ManagementContext } from '@gko/api';
import type { ApimClient } from '@gko/mapi';
import type { Operation } from '../admission/review.ts';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** Path of the field at fault, e.g. spec.plans.free.security.type. */
  path: string;
  message: string;
  /**
   * The object named at `path`, when the finding is that it does not exist: tools that check
   * manifests without the cluster tell these apart from the other problems.
   */
  missing?: ObjectKey;
}

export interface ObjectKey {
  kind: string;
  namespace: string;
  name: string;
}

export const error = (path: string, message: string): Finding => ({ severity: 'error', path, message });
export const warning = (path: string, message: string): Finding => ({ severity: 'warning', path, message });

/** A referenced object that does not exist (or cannot be read from this namespace). */
export const missingObject = (path: string, missing: ObjectKey, message?: string): Finding => ({
  severity: 'error',
  path,
  message: message ?? `${missing.kind} ${missing.namespace}/${missing.name} does not exist`,
  // The key only, whatever else the caller's object carries.
  missing: { kind: missing.kind, namespace: missing.namespace, name: missing.name },
});

/**
 * Thrown by lookups that may not reach APIM for a context (a tool checking manifests offline): rules
 * then say nothing of what only APIM could tell.
 */
export class ApimNotConsulted extends Error {
  override name = 'ApimNotConsulted';
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec?: unknown;
  status?: unknown;
}

export interface AdmissionInput<T extends KubeObject = KubeObject> {
  operation: Operation;
  /** The object being created or updated, or the one being deleted. */
  object: T;
  /** The object before an update. */
  oldObject?: T;
  namespace: string;
  name: string;
  /** A server-side dry run: rules answer the same, and nothing may change anywhere. */
  dryRun: boolean;
}

export interface AdmissionSettings {
  /** Where two APIs may not share a context path: the namespace (default) or the whole cluster. */
  contextPathScope: 'namespace' | 'cluster';
  /** The Ingress classes the operator handles; absent when its Ingress controller is off. */
  ingressClasses?: string[];
}

export interface Lookups {
  /** An object of one of our kinds, from the cache. */
  get<T = KubeObject>(kind: KindName, namespace: string, name: string): T | undefined;
  list<T = KubeObject>(kind: KindName, namespace?: string): T[];
  /** Objects of a kind by the value of one of the indexes the rules declare (ADMISSION_INDEXES). */
  byIndex<T = KubeObject>(kind: KindName, index: string, value: string): T[];
  /**
   * Decoded data of a Secret, or the data of a ConfigMap, for an object of namespace `from`: undefined
   * when it does not exist or lies in another namespace that grants `from` no read.
   */
  data(kind: 'Secret' | 'ConfigMap', namespace: string, name: string, from: string): Record<string, string> | undefined;
  /**
   * A client for the APIM a context points to, given with its templates already compiled. Throws
   * ContextError when the context cannot be used.
   */
  apim(context: ManagementContext): ApimClient;
  /**
   * The Ingresses of a namespace, read for the requests that need them only (the delete of an
   * Ingress template while the Ingress controller is on); none otherwise.
   */
  ingresses(namespace: string): IngressLike[];
  now(): Date;
  settings: AdmissionSettings;
}

/** Where the lookups of each request come from: everything a request reads is at hand before its rules run. */
export interface LookupSource {
  /**
   * The lookups for this request; `signal` aborts the reads once the admission deadline passes, and
   * `depth` bounds how far references are followed to find what the request reads.
   */
  forRequest(input: AdmissionInput, signal: AbortSignal, depth?: number): Promise<Lookups>;
  /** Whether the namespace is being deleted: then nothing in it is held back from going. */
  namespaceTerminating(namespace: string, signal: AbortSignal): Promise<boolean>;
}

/** What a kind checks (and, for some kinds, defaults) at admission. */
export interface KindAdmission {
  kind: KindName;
  /** Operations sent to the validating webhook of the kind. */
  validates: Operation[];
  validate(input: AdmissionInput, lookups: Lookups): Promise<Finding[]>;
  /** Operations sent to the mutating webhook of the kind, if it has one. */
  mutates?: Operation[];
  /** Returns the object to store instead of the one given (with findings), or no object to keep it. Reads lookups only: never waits. */
  mutate?(input: AdmissionInput, lookups: Lookups): { object?: KubeObject; findings: Finding[] };
}

export function hasErrors(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
