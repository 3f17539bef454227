import type { SharedPolicyGroup } from '@gko/api';
import { idFlags, sharedPolicyGroupIds, toSharedPolicyGroupSpec } from '@gko/mapi';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { identityFindings, withStatus } from '../../rules/identity.ts';
import { deleteGuard, sharedPolicyGroupUsers } from '../../rules/references.ts';
import type { KindAdmission } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

export const sharedPolicyGroup: KindAdmission = {
  kind: 'SharedPolicyGroup',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    const group = input.object as SharedPolicyGroup;
    const { namespace, name } = input;
    if (input.operation === 'DELETE') {
      const users = sharedPolicyGroupUsers(lookups, `${namespace}/${name}`).map((object) => ({
        kind: 'ApiV4Definition',
        object,
      }));
      return Promise.resolve(deleteGuard(users, 'remove it from their flows first'));
    }
    const { context, findings: contextFindings } = findContext(group.spec.contextRef, namespace, lookups);
    const findings = [
      ...identityFindings('SharedPolicyGroup', input, lookups),
      ...templateFindings(group.spec, namespace, lookups),
      ...contextFindings,
    ];
    const stored = withStatus<SharedPolicyGroup>(input);
    return withDryRun(findings, context, lookups, (client) =>
      client.sharedPolicyGroups.put(toSharedPolicyGroupSpec(compiled(stored, namespace, lookups)), {
        dryRun: true,
        ...idFlags(sharedPolicyGroupIds(stored)),
      }),
    );
  },
};
