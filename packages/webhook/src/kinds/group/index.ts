import type { Group } from '@gko/api';
import { checkTakeOver, groupIds, idFlags, toGroupSpec } from '@gko/mapi';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { claimsOf, identityFindings, withStatus } from '../../rules/identity.ts';
import { error, type KindAdmission } from '../../rules/rule.ts';

export const group: KindAdmission = {
  kind: 'Group',
  validates: ['CREATE', 'UPDATE'],
  validate(input, lookups) {
    const group = input.object as Group;
    const { context, findings: contextFindings } = findContext(group.spec.contextRef, input.namespace, lookups);
    const findings = [...identityFindings('Group', input, lookups), ...contextFindings];
    group.spec.members.forEach((member, i) => {
      for (const [scope, role] of Object.entries(member.roles ?? {})) {
        if (role.toUpperCase() === 'PRIMARY_OWNER')
          findings.push(
            error(`spec.members[${i}].roles.${scope}`, 'the primary owner role cannot be given through a group'),
          );
      }
    });
    const stored = withStatus<Group>(input);
    return withDryRun(findings, context, lookups, async (client) => {
      await checkTakeOver(stored, groupIds(stored), (hrid, flags) => client.groups.get(hrid, flags), claimsOf(lookups));
      return client.groups.put(toGroupSpec(stored), { dryRun: true, ...idFlags(groupIds(stored)) });
    });
  },
};
