// Everything needed to call an APIM installation, resolved from a ManagementContext and the Secrets
// it refers to. A bearer token takes precedence over a user name and password.
import { resolveReference, unreadableMessage, type ManagementContextSpec, type ObjectReference } from '@gko/api';
import { CloudTokenError, cloudLocation, parseCloudToken } from './cloud-token.ts';
import type { ApimLocation } from './urls.ts';

export type ApimCredentials = { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

export interface ApimTarget extends ApimLocation {
  /** `namespace/name` of the context, for messages. */
  context: string;
  organizationId: string;
  environmentId: string;
  credentials: ApimCredentials;
}

/**
 * Reads the decoded data of a Secret for an object of namespace `from`; undefined when the Secret does
 * not exist, or is in another namespace and does not grant `from` a read (see grantsReadTo).
 */
export type SecretReader = (namespace: string, name: string, from: string) => Record<string, string> | undefined;

/** A context that cannot be used as written; `field` is the path of the field at fault. */
export class ContextError extends Error {
  override name = 'ContextError';
  readonly field: string;
  /** The Secret that does not exist, when that is the reason. */
  readonly missing?: { kind: string; namespace: string; name: string };
  constructor(field: string, message: string, missing?: { kind: string; namespace: string; name: string }) {
    super(`${field}: ${message}`);
    this.field = field;
    if (missing) this.missing = missing;
  }
}

export interface ContextObject {
  metadata: { name?: string; namespace?: string };
  spec: ManagementContextSpec;
}

function secretData(
  reader: SecretReader,
  ref: ObjectReference,
  namespace: string,
  field: string,
): Record<string, string> {
  const { namespace: ns, name } = resolveReference(ref, namespace);
  const data = reader(ns, name, namespace);
  if (!data)
    throw ns === namespace
      ? new ContextError(field, `Secret ${ns}/${name} does not exist`, { kind: 'Secret', namespace: ns, name })
      : new ContextError(field, unreadableMessage('Secret', ns, name, namespace));
  return data;
}

function credentials(spec: ManagementContextSpec, reader: SecretReader, namespace: string): ApimCredentials {
  const auth = spec.auth;
  if (auth?.bearerToken) return { kind: 'bearer', token: auth.bearerToken };
  if (auth?.credentials)
    return { kind: 'basic', username: auth.credentials.username, password: auth.credentials.password };
  if (auth?.secretRef) {
    const data = secretData(reader, auth.secretRef, namespace, 'spec.auth.secretRef');
    if (data['bearerToken']) return { kind: 'bearer', token: data['bearerToken'] };
    if (data['username'] && data['password'])
      return { kind: 'basic', username: data['username'], password: data['password'] };
    const { namespace: ns, name } = resolveReference(auth.secretRef, namespace);
    throw new ContextError(
      'spec.auth.secretRef',
      `Secret ${ns}/${name} has neither the key bearerToken nor the keys username and password`,
    );
  }
  throw new ContextError('spec.auth', 'set bearerToken, credentials or secretRef');
}

/** The cloud token of a context, from the spec or its Secret (key cloudToken). */
export function cloudToken(spec: ManagementContextSpec, reader: SecretReader, namespace: string): string {
  const cloud = spec.cloud!;
  if (cloud.token) return cloud.token;
  if (cloud.secretRef) {
    const token = secretData(reader, cloud.secretRef, namespace, 'spec.cloud.secretRef')['cloudToken'];
    if (!token) {
      const { namespace: ns, name } = resolveReference(cloud.secretRef, namespace);
      throw new ContextError('spec.cloud.secretRef', `Secret ${ns}/${name} has no key cloudToken`);
    }
    return token;
  }
  throw new ContextError('spec.cloud', 'set token or secretRef');
}

/**
 * The base URL, once known to be http or https. The value is left out of the message: it may have
 * come from a Secret through a template.
 */
function checkedBaseUrl(baseUrl: string): string {
  let protocol = '';
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    // not a URL at all
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new ContextError('spec.baseUrl', 'must be an http:// or https:// URL');
  return baseUrl;
}

export function resolveTarget(context: ContextObject, readSecret: SecretReader): ApimTarget {
  const namespace = context.metadata.namespace ?? 'default';
  const name = `${namespace}/${context.metadata.name ?? ''}`;
  const { spec } = context;
  if (spec.cloud) {
    const token = cloudToken(spec, readSecret, namespace);
    let location;
    try {
      location = cloudLocation(parseCloudToken(token), spec.environmentId);
    } catch (error) {
      if (error instanceof CloudTokenError) throw new ContextError('spec.cloud', error.message);
      throw error;
    }
    return {
      context: name,
      baseUrl: checkedBaseUrl(spec.baseUrl || location.baseUrl),
      path: spec.path,
      cloud: true,
      organizationId: location.organizationId,
      environmentId: location.environmentId,
      credentials: { kind: 'bearer', token },
    };
  }
  for (const field of ['baseUrl', 'organizationId', 'environmentId'] as const) {
    if (!spec[field]) throw new ContextError(`spec.${field}`, 'is required unless cloud is set');
  }
  return {
    context: name,
    baseUrl: checkedBaseUrl(spec.baseUrl!),
    path: spec.path,
    cloud: false,
    organizationId: spec.organizationId!,
    environmentId: spec.environmentId!,
    credentials: credentials(spec, readSecret, namespace),
  };
}

/** The secret values of a target, to keep them out of logs and messages. */
export function secretsOf(target: ApimTarget): string[] {
  const { credentials: c } = target;
  return c.kind === 'bearer' ? [c.token] : [c.password, Buffer.from(`${c.username}:${c.password}`).toString('base64')];
}
