// v4 APIs: context paths taken by another API, duplicate plan or page HRIDs and HTTP listeners
// without paths are refused; unknown members, categories and groups are dropped.
import {
  contextPathKey,
  deterministicUuid,
  formatContextPath,
  v2ContextPaths,
  v4ContextPaths,
  type Automation,
} from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { Findings, checkCategories, checkGroups, checkMembers, duplicates, objectId, withErrors } from './findings.ts';

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

export function importApiV4(
  env: EnvironmentState,
  body: Automation.ApiV4Spec,
  hridContainsUUID: boolean,
): { state: Automation.ApiV4State; findings: Findings } {
  const findings = new Findings();
  const id = objectId(env, 'api', body.hrid, hridContainsUUID);
  for (const [index, listener] of (body.listeners as { type: string; paths?: unknown[] }[]).entries()) {
    if (listener.type === 'HTTP' && (listener.paths ?? []).length === 0)
      findings.severe.push(`HTTP listener ${index} has no path`);
  }
  checkPaths(v4ContextPaths(body.listeners), body.hrid, env, findings);
  for (const hrid of duplicates((body.plans ?? []).map((p) => p.hrid)))
    findings.severe.push(`duplicate hrid found in plans: ${hrid}`);
  for (const hrid of duplicates((body.pages ?? []).map((p) => p.hrid)))
    findings.severe.push(`duplicate hrid found in pages: ${hrid}`);
  const existing = env.apis.get(body.hrid);
  const state: Automation.ApiV4State = {
    ...body,
    members: checkMembers(body.members, env, findings),
    categories: checkCategories(body.categories, env, findings),
    groups: checkGroups(body.groups, env, findings),
    plans: (body.plans ?? []).map((p) => ({ ...p, id: deterministicUuid(id, 'plan', p.hrid) })),
    pages: (body.pages ?? []).map((p) => ({ ...p, id: deterministicUuid(id, 'page', p.hrid) })),
    id,
    crossId:
      existing?.crossId ??
      (body as { crossId?: string }).crossId ??
      deterministicUuid('cross-id', env.organizationId, env.id, body.hrid),
    organizationId: env.organizationId,
    environmentId: env.id,
    state: body.state ?? 'STARTED',
  };
  return { state: withErrors(state, findings), findings };
}
