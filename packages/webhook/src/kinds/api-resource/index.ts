import type { ApiResourceEntry, ObjectReference } from '@gko/api';
import { deleteGuard, listUsers } from '../../rules/references.ts';
import type { KindAdmission } from '../../rules/rule.ts';
import { templateFindings } from '../../rules/templates.ts';

const resourceRefs = (spec: Record<string, unknown>): (ObjectReference | undefined)[] =>
  ((spec['resources'] ?? []) as ApiResourceEntry[]).map((r) => r.ref);

export const apiResource: KindAdmission = {
  kind: 'ApiResource',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    const { namespace, name } = input;
    if (input.operation === 'DELETE') {
      const users = listUsers(lookups, ['ApiDefinition', 'ApiV4Definition'], resourceRefs, `${namespace}/${name}`);
      return Promise.resolve(deleteGuard(users, 'remove it from their resources first'));
    }
    return Promise.resolve(templateFindings(input.object.spec, namespace, lookups));
  },
};
