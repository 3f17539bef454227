// The AdmissionReview v1 wire format: what kube-apiserver sends to a webhook and what it expects back.
// Parsing is strict about what the rules rely on and tolerant of everything else.

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  operation: Operation;
  name: string;
  namespace: string;
  /** The object after the change; absent on DELETE. */
  object: Record<string, unknown> | undefined;
  /** The object before the change; present on UPDATE and DELETE. */
  oldObject: Record<string, unknown> | undefined;
  /** True for `kubectl apply --dry-run=server`: answer, but change nothing anywhere. */
  dryRun: boolean;
  user: string;
}

export type ParsedReview = { ok: true; request: AdmissionRequest } | { ok: false; error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalObject(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error(`request.${field} must be an object`);
  return value;
}

export function parseAdmissionReview(body: unknown): ParsedReview {
  try {
    if (!isRecord(body)) throw new Error('the body must be a JSON object');
    if (body['apiVersion'] !== ADMISSION_API_VERSION || body['kind'] !== 'AdmissionReview') {
      throw new Error(`expected an AdmissionReview of ${ADMISSION_API_VERSION}`);
    }
    const request = body['request'];
    if (!isRecord(request)) throw new Error('the AdmissionReview has no request');
    const { uid, operation, kind } = request;
    if (typeof uid !== 'string' || uid === '') throw new Error('request.uid must be a non-empty string');
    if (typeof operation !== 'string' || !OPERATIONS.includes(operation)) {
      throw new Error(`request.operation must be one of ${OPERATIONS.join(', ')}`);
    }
    if (!isRecord(kind) || typeof kind['kind'] !== 'string' || typeof kind['version'] !== 'string') {
      throw new Error('request.kind must name a group, version and kind');
    }
    const userInfo = isRecord(request['userInfo']) ? request['userInfo'] : {};
    return {
      ok: true,
      request: {
        uid,
        operation: operation as Operation,
        kind: {
          group: typeof kind['group'] === 'string' ? kind['group'] : '',
          version: kind['version'],
          kind: kind['kind'],
        },
        name: typeof request['name'] === 'string' ? request['name'] : '',
        namespace: typeof request['namespace'] === 'string' ? request['namespace'] : '',
        object: optionalObject(request['object'], 'object'),
        oldObject: optionalObject(request['oldObject'], 'oldObject'),
        dryRun: request['dryRun'] === true,
        user: typeof userInfo['username'] === 'string' ? userInfo['username'] : '',
      },
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export interface Verdict {
  allowed: boolean;
  /** Shown by kubectl when the request is denied. */
  message?: string;
  /** HTTP-like code of a denial: 403 for policy, 400 for malformed objects, 500 for our own failures. */
  code?: number;
  /** Printed by kubectl as "Warning: ..." whether the request is allowed or not. */
  warnings?: string[];
  /** Mutating webhooks only. */
  patch?: JsonPatchOperation[];
}

export function reviewResponse(uid: string, verdict: Verdict): Record<string, unknown> {
  const response: Record<string, unknown> = { uid, allowed: verdict.allowed };
  if (!verdict.allowed) {
    const code = verdict.code ?? 403;
    response['status'] = {
      code,
      message: verdict.message ?? 'denied',
      reason: code === 400 ? 'BadRequest' : code >= 500 ? 'InternalError' : 'Forbidden',
    };
  }
  if (verdict.warnings && verdict.warnings.length > 0) response['warnings'] = verdict.warnings;
  if (verdict.patch && verdict.patch.length > 0) {
    response['patchType'] = 'JSONPatch';
    response['patch'] = Buffer.from(JSON.stringify(verdict.patch)).toString('base64');
  }
  return { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response };
}
