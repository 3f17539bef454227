// v4 APIs: context paths taken by another API, duplicate plan or page HRIDs and HTTP listeners
// without paths are refused; unknown members, categories and groups are dropped.
//
// As APIM's Automation API (4.12 and later) finds them: an API by its crossId, given in the body or
// derived from the HRID; with hridContainsUUID the HRID is the API's id (used when the API is made)
// and the crossId must be given. Plans and pages keep the ids they are sent; APIM derives the others.
import { contextPathKey, formatContextPath, v2ContextPaths, v4ContextPaths, type Automation } from '@gko/mapi';
import { apimUuid } from '../ids.ts';
import type { EnvironmentState } from '../state.ts';
import {
  Findings,
  checkCategories,
  checkGroups,
  checkMembers,
  duplicates,
  keyOf,
  objectId,
  withErrors,
} from './findings.ts';

/** Which API (by HRID, or v2 id) holds each context path of the environment. */
export function pathOwners(env: EnvironmentState): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [hrid, api] of env.apis)
    for (const p of v4ContextPaths(api.listeners)) owners.set(contextPathKey(p), hrid);
  for (const [id, api] of env.v2Apis)
    for (const p of v2ContextPaths(api.definition.proxy)) owners.set(contextPathKey(p), id);
  return owners;
}

export function checkPaths(
  paths: ReturnType<typeof v4ContextPaths>,
  self: string,
  env: EnvironmentState,
  findings: Findings,
): void {
  const owners = pathOwners(env);
  const keys = paths.map(contextPathKey);
  for (const key of duplicates(keys)) findings.severe.push(`path [${key}] is declared twice`);
  for (const path of paths) {
    const owner = owners.get(contextPathKey(path));
    if (owner !== undefined && owner !== self)
      findings.severe.push(`path [${formatContextPath(path)}] already exists for API [${owner}]`);
  }
}

/** The name APIM gives the connect phase of native flows: `connect` up to 4.10. */
export function connectPhaseOf(version: string): 'connect' | 'entrypointConnect' {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 4 || (major === 4 && minor <= 10) ? 'connect' : 'entrypointConnect';
}

type Flow = NonNullable<Automation.ApiV4Spec['flows']>[number];

/** APIM reads a body into its model, which drops the phase name it does not know. */
export function dropUnknownPhase(
  body: Automation.ApiV4Spec,
  known: 'connect' | 'entrypointConnect',
): Automation.ApiV4Spec {
  const unknown = known === 'connect' ? 'entrypointConnect' : 'connect';
  const clean = (flows: Flow[] | undefined) =>
    flows?.map((flow) => Object.fromEntries(Object.entries(flow).filter(([key]) => key !== unknown)) as Flow);
  return {
    ...body,
    ...(body.flows ? { flows: clean(body.flows) } : {}),
    ...(body.plans ? { plans: body.plans.map((p) => ({ ...p, ...(p.flows ? { flows: clean(p.flows) } : {}) })) } : {}),
  };
}

/** The crossId APIM gives an API known by HRID that is sent without one. */
export const derivedCrossId = (env: EnvironmentState, hrid: string) =>
  apimUuid('cross-id', env.organizationId, env.id, hrid);

/**
 * Where the API the body names is kept, if it exists: APIM looks it up by crossId alone (an API named
 * by UUID without the right crossId is a new API to APIM, whatever its id).
 */
function storedKey(env: EnvironmentState, body: Automation.ApiV4Spec, hridContainsUUID: boolean): string | undefined {
  const crossId = body.crossId ?? (hridContainsUUID ? undefined : derivedCrossId(env, body.hrid));
  const byCrossId = crossId ? keyOf(env.apis, (api) => api.crossId === crossId) : undefined;
  if (byCrossId || hridContainsUUID) return byCrossId;
  return env.apis.has(body.hrid) ? body.hrid : undefined;
}

export function importApiV4(
  env: EnvironmentState,
  body: Automation.ApiV4Spec,
  hridContainsUUID: boolean,
): { state: Automation.ApiV4State; findings: Findings; key: string; replaces?: string } {
  const findings = new Findings();
  const found = storedKey(env, body, hridContainsUUID);
  const existing = found === undefined ? undefined : env.apis.get(found);
  const id = existing?.id ?? objectId(env, 'api', body.hrid, hridContainsUUID);
  if (!existing && keyOf(env.apis, (api) => api.id === id) !== undefined)
    findings.severe.push(`an API with id [${id}] already exists`);
  // An API found by crossId takes the HRID it is sent under; one named by UUID keeps its place.
  const key = found !== undefined && hridContainsUUID ? found : body.hrid;
  for (const [index, listener] of (body.listeners as { type: string; paths?: unknown[] }[]).entries()) {
    if (listener.type === 'HTTP' && (listener.paths ?? []).length === 0)
      findings.severe.push(`HTTP listener ${index} has no path`);
  }
  checkPaths(v4ContextPaths(body.listeners), found ?? key, env, findings);
  for (const hrid of duplicates((body.plans ?? []).map((p) => p.hrid)))
    findings.severe.push(`duplicate hrid found in plans: ${hrid}`);
  for (const hrid of duplicates((body.pages ?? []).map((p) => p.hrid)))
    findings.severe.push(`duplicate hrid found in pages: ${hrid}`);
  const state: Automation.ApiV4State = {
    ...body,
    members: checkMembers(body.members, env, findings),
    categories: checkCategories(body.categories, env, findings),
    groups: checkGroups(body.groups, env, findings),
    plans: (body.plans ?? []).map((p) => ({ ...p, id: p.id ?? apimUuid(id, 'plan', p.hrid) })),
    pages: (body.pages ?? []).map((p) => ({ ...p, id: p.id ?? apimUuid(id, 'page', p.hrid) })),
    id,
    crossId: existing?.crossId ?? body.crossId ?? derivedCrossId(env, body.hrid),
    organizationId: env.organizationId,
    environmentId: env.id,
    state: body.state ?? 'STARTED',
  };
  return {
    state: withErrors(state, findings),
    findings,
    key,
    ...(found !== undefined && found !== key ? { replaces: found } : {}),
  };
}
