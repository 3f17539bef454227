// A Gravitee Cloud token is a JWT whose claims say where APIM is: `cpg` (the geography, which
// gives the URL), `org` (the organization) and `envs` (the environments it grants). The operator
// reads the claims without verifying the signature: APIM verifies the token on every call.

export interface CloudTokenClaims {
  organizationId: string;
  environments: string[];
  geography: string;
}

export class CloudTokenError extends Error {
  override name = 'CloudTokenError';
}

export function parseCloudToken(token: string): CloudTokenClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new CloudTokenError('the cloud token is not a JWT (three dot-separated parts)');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new CloudTokenError('the claims of the cloud token are not JSON');
  }
  const { org, envs, cpg } = claims;
  const missing = [
    typeof org === 'string' && org ? '' : 'org',
    Array.isArray(envs) && envs.length > 0 ? '' : 'envs',
    typeof cpg === 'string' && cpg ? '' : 'cpg',
  ].filter(Boolean);
  if (missing.length > 0)
    throw new CloudTokenError(`the cloud token lacks the claim${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (!/^[a-z0-9-]+$/i.test(cpg as string))
    throw new CloudTokenError('the cpg claim of the cloud token is not a geography name');
  return { organizationId: org as string, environments: (envs as unknown[]).map(String), geography: cpg as string };
}

export interface CloudLocation {
  baseUrl: string;
  organizationId: string;
  environmentId: string;
}

/**
 * What a cloud token says about a context. The environment is the token's only one, or the one the
 * context names, which must then be among the token's.
 */
export function cloudLocation(claims: CloudTokenClaims, environmentId?: string): CloudLocation {
  let environment = environmentId;
  if (!environment) {
    if (claims.environments.length !== 1) {
      throw new CloudTokenError(
        `the cloud token grants ${claims.environments.length} environments: set environmentId to one of ${claims.environments.join(', ')}`,
      );
    }
    environment = claims.environments[0]!;
  } else if (!claims.environments.includes(environment)) {
    throw new CloudTokenError(
      `environment ${environment} is not one the cloud token grants (${claims.environments.join(', ')})`,
    );
  }
  return {
    baseUrl: `https://${claims.geography}.cloudgate.gravitee.io`,
    organizationId: claims.organizationId,
    environmentId: environment,
  };
}
