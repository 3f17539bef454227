// What APIM reports while importing an object: severe problems refuse it, warnings say what was
// dropped. Checks shared by several kinds live here.
import type { Automation } from '@gko/mapi';
import { apimUuid } from '../ids.ts';
import type { EnvironmentState } from '../state.ts';

export class Findings {
  readonly severe: string[] = [];
  readonly warning: string[] = [];

  errors(): Automation.Errors | undefined {
    return this.severe.length + this.warning.length > 0
      ? { severe: [...this.severe], warning: [...this.warning] }
      : undefined;
  }
}

export const PRIMARY_OWNER = 'PRIMARY_OWNER';

/** The id APIM gives an object: derived from its HRID, or the HRID itself when it holds a legacy UUID. */
export function objectId(env: EnvironmentState, kind: string, hrid: string, hridContainsUUID = false): string {
  return hridContainsUUID ? hrid : apimUuid(env.organizationId, env.id, kind, hrid);
}

/** Members whose user does not exist are dropped; the primary owner role cannot be given this way. */
export function checkMembers<M extends { source: string; sourceId: string; role?: string }>(
  members: M[] | undefined,
  env: EnvironmentState,
  findings: Findings,
): M[] {
  const kept: M[] = [];
  for (const member of members ?? []) {
    if (member.role?.toUpperCase() === PRIMARY_OWNER) {
      findings.severe.push(`member [${member.sourceId}] cannot be given the primary owner role`);
    } else if (!env.users.has(`${member.source}:${member.sourceId}`)) {
      findings.warning.push(
        `member [${member.sourceId}] of source [${member.source}] could not be found in organization [${env.organizationId}]`,
      );
    } else kept.push(member);
  }
  return kept;
}

export function checkCategories(categories: string[] | undefined, env: EnvironmentState, findings: Findings): string[] {
  return (categories ?? []).filter((category) => {
    const known = env.categories.has(category);
    if (!known) findings.warning.push(`category [${category}] is not defined in environment [${env.id}]`);
    return known;
  });
}

export function checkGroups(groups: string[] | undefined, env: EnvironmentState, findings: Findings): string[] {
  return (groups ?? []).filter((group) => {
    const known = env.hasGroup(group);
    if (!known) findings.warning.push(`group [${group}] could not be found in environment [${env.id}]`);
    return known;
  });
}

/** The key under which the first stored object matching the test is kept. */
export function keyOf<T>(store: Map<string, T>, test: (value: T) => boolean): string | undefined {
  for (const [key, value] of store) if (test(value)) return key;
  return undefined;
}

export function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** The stored state, with the problems found attached when there are any. */
export function withErrors<T extends object>(state: T, findings: Findings): T {
  const errors = findings.errors();
  return errors ? { ...state, errors } : state;
}
