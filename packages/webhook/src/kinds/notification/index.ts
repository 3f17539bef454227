import { resolveReference, type Notification } from '@gko/api';
import { deleteGuard, usersOf } from '../../rules/references.ts';
import { warning, type KindAdmission } from '../../rules/rule.ts';

export const notification: KindAdmission = {
  kind: 'Notification',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    const { namespace, name } = input;
    if (input.operation === 'DELETE') {
      const users = usersOf(lookups, 'Notification', `${namespace}/${name}`, ['ApiDefinition', 'ApiV4Definition']);
      return Promise.resolve(deleteGuard(users, 'remove it from their notificationsRefs first'));
    }
    const spec = (input.object as Notification).spec;
    return Promise.resolve(
      (spec.console?.groupRefs ?? []).flatMap((ref, i) => {
        const { namespace: ns, name: group } = resolveReference(ref, namespace);
        return lookups.get('Group', ns, group)
          ? []
          : [warning(`spec.console.groupRefs[${i}]`, `Group ${ns}/${group} does not exist (yet)`)];
      }),
    );
  },
};
