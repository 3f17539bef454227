// Where a Gravitee APIM installation answers, from what a ManagementContext says about it.
//
// Self-hosted APIM serves the Management API under /management and the Automation API under
// /automation; Gravitee Cloud serves them under /apim/rest and /apim/automation. A context's `path`
// replaces both prefixes (for an APIM published behind a reverse proxy under another path).

export interface ApimLocation {
  baseUrl: string;
  /** Replaces the default prefix of both the Management and the Automation API. */
  path?: string | undefined;
  organizationId: string;
  environmentId: string;
  cloud?: boolean | undefined;
}

export interface ApimUrls {
  /** mAPI v1 for the environment: v2 API import and delete. */
  environmentV1: string;
  /** mAPI v2 for the environment: the environment itself (credential check). */
  environmentV2: string;
  /** Automation API for the environment: every other kind. */
  automation: string;
}

const DEFAULT_PREFIXES = { management: '/management', automation: '/automation' };
const CLOUD_PREFIXES = { management: '/apim/rest', automation: '/apim/automation' };

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

function join(base: string, ...segments: string[]): string {
  const parts = segments.map(trimSlashes).filter((s) => s.length > 0);
  return [base.replace(/\/+$/, ''), ...parts].join('/');
}

export function apimUrls(location: ApimLocation): ApimUrls {
  const base = new URL(location.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`APIM base URL must use http or https, not ${base.protocol.replace(':', '')}`);
  }
  const root = `${base.origin}${base.pathname}`;
  const prefixes = location.cloud ? CLOUD_PREFIXES : DEFAULT_PREFIXES;
  const management = join(root, location.path ?? prefixes.management);
  const automation = join(root, location.path ?? prefixes.automation);
  const scope = [
    'organizations',
    encodeURIComponent(location.organizationId),
    'environments',
    encodeURIComponent(location.environmentId),
  ];
  return {
    environmentV1: join(management, ...scope),
    environmentV2: join(management, 'v2', ...scope),
    automation: join(automation, ...scope),
  };
}
