import { groupMember, notifyMembers } from '../../fragments/members.ts';
import { contextRef } from '../../fragments/reference.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from '../../fragments/status.ts';
import { array, integer, object, required, string } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

export const group = defineKind({
  kind: 'Group',
  plural: 'groups',
  singular: 'group',
  shortNames: ['graviteegroups'],
  description: 'An APIM group of users with roles per scope. APIs and notifications refer to groups through groupRefs.',
  spec: object('The group.', {
    contextRef: required(contextRef),
    id: string('Id of an existing group in APIM that this object takes over; left out, the operator computes it.'),
    hrid: string('Human-readable id of the group in APIM: always <namespace>-<name>; any other value is refused.'),
    name: required(string('Name of the group; APIs refer to it by this name.')),
    notifyMembers,
    members: required(array('Users of the group. The users must already exist in APIM.', groupMember)),
  }),
  status: status('What the operator last observed of the group.', {
    id: string('Id of the group in APIM.'),
    organizationId,
    environmentId,
    members: integer('Number of members APIM accepted.'),
    errors: apimErrors,
    processingStatus,
  }),
  printerColumns: [
    { name: 'Name', type: 'string', jsonPath: '.spec.name', description: 'Name of the group.' },
    { name: 'Members', type: 'integer', jsonPath: '.status.members', description: 'Number of members APIM accepted.' },
  ],
});
