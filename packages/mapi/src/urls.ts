// Where a Gravitee APIM installation answers, from what a ManagementContext says about it.
//
// Self-hosted APIM serves the Management API under /management and the Automation API under
// /automation; Gravitee Cloud serves them under /apim/rest and /apim/automation. A context's `path`
// replaces both prefixes (for an APIM published behind a reverse proxy under another path).

export interface ApimLocation {
  baseUrl: string;
  /** Replaces the default prefix of both the Management and the Automation API. */
  path?: string | undefined;
  cloud?: boolean | undefined;
}

export interface ApimRoots {
  /** mAPI v1 root: v2 API import and delete live under it. */
  management: string;
  /** mAPI v2 root: the environment lookup lives under it. */
  managementV2: string;
  /** Automation API root: every other kind lives under it. */
  automation: string;
}

const DEFAULT_PREFIXES = { management: '/management', automation: '/automation' };
const CLOUD_PREFIXES = { management: '/apim/rest', automation: '/apim/automation' };

function join(base: string, ...segments: string[]): string {
  const parts = segments.map((s) => s.replace(/^\/+|\/+$/g, '')).filter((s) => s.length > 0);
  return [base.replace(/\/+$/, ''), ...parts].join('/');
}

export function apimRoots(location: ApimLocation): ApimRoots {
  let base: URL;
  try {
    base = new URL(location.baseUrl);
  } catch {
    // The value stays out of the message: it may come from a Secret.
    throw new Error('the APIM base URL is not a URL');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`APIM base URL must use http or https, not ${base.protocol.replace(':', '')}`);
  }
  const root = `${base.origin}${base.pathname}`;
  const prefixes = location.cloud ? CLOUD_PREFIXES : DEFAULT_PREFIXES;
  const management = join(root, location.path ?? prefixes.management);
  return {
    management,
    managementV2: join(management, 'v2'),
    automation: join(root, location.path ?? prefixes.automation),
  };
}

/** Where an organization's environment is, under a root: for logs and messages. */
export function environmentPath(organizationId: string, environmentId: string): string {
  return `/organizations/${encodeURIComponent(organizationId)}/environments/${encodeURIComponent(environmentId)}`;
}
