import { array, boolean, map, named, object, required, string, withDefault, type Schema } from '../schema/index.ts';

const source = string('Identity provider the user comes from, for example gravitee, memory or an LDAP source name.');
const sourceId = string("The user's id in that identity provider, for example a login or an e-mail address.");

export const member = named(
  'Member',
  object('A user given a role. The user must already exist in APIM.', {
    source: required(source),
    sourceId: required(sourceId),
    role: string('Name of the role given to the user. The primary owner role cannot be given this way.', {
      default: 'USER',
    }),
  }),
);

export const members = array('Users given a role on this object, in addition to its primary owner.', member);

export const notifyMembers = boolean('Whether APIM e-mails users when they become members.', { default: true });

export const groupMember = named(
  'GroupMember',
  object('A user of the group, with one role per scope.', {
    source: required(source),
    sourceId: required(sourceId),
    roles: map(
      'Role of the member in each scope: keys API, APPLICATION or INTEGRATION, values role names.',
      string('Role name.'),
      { default: {} },
    ),
  }),
);

export function stringList(description: string, item: string, withEmptyDefault = false): Schema {
  const list = array(description, string(item));
  return withEmptyDefault ? withDefault(list, []) : list;
}
