// The next-generation portal: portals, and their links, listings and pages (and the pages of APIs).
// The checks are those APIM's Automation API applies (its main branch, where links, structure and
// areas exist): navigation paths well formed, one portal per environment unless the environment
// allows more, absolute link URLs, one homepage per portal, API pages in the top navigation bar only.
// APIM does not check that a listed API or a page's API exists (it derives their ids from the HRIDs),
// nor refuse to delete a portal that still has links, listings or pages: neither does this.
import type { Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { Findings, objectId, withErrors } from './findings.ts';

/** Where a stored child lives, and whether it was stored at all. */
export interface ChildOutcome<State> {
  state: State;
  findings: Findings;
  /** An answer APIM gives instead of storing (checked after validation, so never on a dry run). */
  refusal?: { status: number; message: string; technicalCode: string };
  /** APIM answers as if stored, but keeps nothing (a link of a portal that does not exist). */
  discard?: boolean;
}

/** APIM's rules for a navigation path; `/` alone is the root. */
export function checkPath(path: string | undefined, field: string, findings: Findings): void {
  if (path === undefined) return;
  if (path.trim() === '') return void findings.severe.push(`${field} must not be empty`);
  if (!path.startsWith('/')) findings.severe.push(`${field} must start with '/' (was: ${path})`);
  if (path.includes('//')) findings.severe.push(`${field} must not contain consecutive '/' (was: ${path})`);
  if (path.includes('..')) findings.severe.push(`${field} must not contain '..' (was: ${path})`);
  if (path.length > 1 && path.endsWith('/')) findings.severe.push(`${field} must not end with '/' (was: ${path})`);
}

/** Unless the environment allows several portals, the first one stored is the only one. */
function checkPortalScope(env: EnvironmentState, portalHrid: string, field: string, findings: Findings): void {
  if (env.multiplePortals) return;
  const established = [...env.portals.keys()][0];
  if (established !== undefined && established !== portalHrid)
    findings.severe.push(`${field} does not match the established portal for this environment`);
}

const nonBlank = (value: string | undefined, field: string, findings: Findings) => {
  if (value === undefined || value.trim() === '') findings.severe.push(`${field} must not be empty`);
};

export function importPortal(
  env: EnvironmentState,
  body: Automation.PortalSpec,
): { state: Automation.PortalState; findings: Findings } {
  const findings = new Findings();
  if (body.structure && (body.navigation?.length ?? 0) > 0)
    findings.severe.push('navigation and structure cannot be used at the same time');
  checkPortalScope(env, body.hrid, 'hrid', findings);
  const entries = body.structure?.topNavbar ?? body.navigation ?? [];
  const field = body.structure ? 'structure.topNavbar' : 'navigation';
  entries.forEach((entry, i) => checkPath(entry.path, `${field}[${i}].path`, findings));
  const topNavbar = entries.map((entry) => ({
    path: entry.path,
    ...(entry.displayName !== undefined ? { displayName: entry.displayName } : {}),
  }));
  // Read back, the navigation is the top navigation bar, under both names.
  const state: Automation.PortalState = {
    hrid: body.hrid,
    name: body.name,
    structure: { topNavbar },
    navigation: topNavbar,
    id: objectId(env, 'portal', body.hrid),
    organizationId: env.organizationId,
    environmentId: env.id,
  };
  return { state: withErrors(state, findings), findings };
}

const childIds = (env: EnvironmentState, what: string, parent: string, hrid: string) => ({
  id: objectId(env, what, `${parent}/${hrid}`),
  organizationId: env.organizationId,
  environmentId: env.id,
});

export function importPortalLink(
  env: EnvironmentState,
  portalHrid: string,
  body: Automation.PortalLinkSpec,
): ChildOutcome<Automation.PortalLinkState> {
  const findings = new Findings();
  checkPortalScope(env, portalHrid, 'portalHrid', findings);
  nonBlank(body.name, 'name', findings);
  if (!isAbsoluteUrl(body.href.trim())) findings.severe.push(`href must be an absolute URL (was: ${body.href})`);
  checkPath(body.location, 'location', findings);
  const state: Automation.PortalLinkState = {
    ...body,
    name: body.name.trim(),
    href: body.href.trim(),
    portalHrid,
    ...childIds(env, 'portal-link', portalHrid, body.hrid),
  };
  return { state: withErrors(state, findings), findings, discard: !env.portals.has(portalHrid) };
}

export function importPortalListing(
  env: EnvironmentState,
  portalHrid: string,
  body: Automation.PortalListingSpec,
): ChildOutcome<Automation.PortalListingState> {
  const findings = new Findings();
  checkPortalScope(env, portalHrid, 'portalHrid', findings);
  body.apis.forEach((entry, i) => checkPath(entry.location, `apis[${i}].location`, findings));
  const state: Automation.PortalListingState = {
    ...body,
    portalHrid,
    ...childIds(env, 'portal-listing', portalHrid, body.hrid),
  };
  return { state: withErrors(state, findings), findings };
}

export type PageParent = { portalHrid: string } | { apiHrid: string };

export function importDocumentation(
  env: EnvironmentState,
  parent: PageParent,
  body: Automation.DocumentationSpec,
): ChildOutcome<Automation.DocumentationState> {
  const findings = new Findings();
  if ('portalHrid' in parent) checkPortalScope(env, parent.portalHrid, 'portalHrid', findings);
  nonBlank(body.name, 'name', findings);
  checkPath(body.location, 'location', findings);
  const parentHrid = 'portalHrid' in parent ? parent.portalHrid : parent.apiHrid;
  const state: Automation.DocumentationState = {
    ...body,
    ...parent,
    ...childIds(env, 'portalHrid' in parent ? 'portal-page' : 'api-page', parentHrid, body.hrid),
  };
  const outcome: ChildOutcome<Automation.DocumentationState> = { state: withErrors(state, findings), findings };
  const area = body.area ?? 'TOP_NAVBAR';
  if ('apiHrid' in parent && area !== 'TOP_NAVBAR')
    outcome.refusal = {
      status: 400,
      message: 'API documentation must be under TOP_NAVBAR area',
      technicalCode: 'invalid',
    };
  if ('portalHrid' in parent && area === 'HOMEPAGE') {
    const pages = env.portalDocumentations.get(parent.portalHrid) ?? new Map<string, Automation.DocumentationState>();
    if ([...pages.values()].some((page) => page.area === 'HOMEPAGE' && page.hrid !== body.hrid))
      outcome.refusal = { status: 409, message: 'Homepage already exists', technicalCode: 'homepage.exists' };
  }
  return outcome;
}

/** What `new URI(url).toURL()` accepts in APIM: an absolute URL of a scheme Java can open. */
function isAbsoluteUrl(href: string): boolean {
  try {
    return ['http:', 'https:', 'ftp:', 'file:', 'mailto:', 'jar:'].includes(new URL(href).protocol);
  } catch {
    return false;
  }
}
