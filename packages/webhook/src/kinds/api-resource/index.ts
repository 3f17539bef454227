import { deleteGuard, usersOf } from '../../rules/references.ts';
import type { KindAdmission } from '../../rules/rule.ts';
import { templateFindings } from '../../rules/templates.ts';

export const apiResource: KindAdmission = {
  kind: 'ApiResource',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    const { namespace, name } = input;
    if (input.operation === 'DELETE') {
      const users = usersOf(lookups, 'ApiResource', `${namespace}/${name}`, ['ApiDefinition', 'ApiV4Definition']);
      return Promise.resolve(deleteGuard(users, 'remove it from their resources first'));
    }
    return Promise.resolve(templateFindings(input.object.spec, namespace, lookups));
  },
};
