import { stringList } from '../../fragments/members.ts';
import { reference } from '../../fragments/reference.ts';
import { status } from '../../fragments/status.ts';
import { array, enumeration, object, required, withDefault } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

export const API_EVENTS = [
  'APIKEY_EXPIRED',
  'APIKEY_RENEWED',
  'APIKEY_REVOKED',
  'SUBSCRIPTION_NEW',
  'SUBSCRIPTION_ACCEPTED',
  'SUBSCRIPTION_CLOSED',
  'SUBSCRIPTION_PAUSED',
  'SUBSCRIPTION_RESUMED',
  'SUBSCRIPTION_REJECTED',
  'SUBSCRIPTION_TRANSFERRED',
  'SUBSCRIPTION_FAILED',
  'NEW_SUPPORT_TICKET',
  'API_STARTED',
  'API_STOPPED',
  'API_UPDATED',
  'API_DEPLOYED',
  'NEW_RATING',
  'NEW_RATING_ANSWER',
  'MESSAGE',
  'ASK_FOR_REVIEW',
  'REVIEW_OK',
  'REQUEST_FOR_CHANGES',
  'API_DEPRECATED',
  'NEW_SPEC_GENERATED',
] as const;

export const notification = defineKind({
  kind: 'Notification',
  plural: 'notifications',
  singular: 'notification',
  shortNames: ['graviteenotif'],
  description:
    'Which API events notify which groups in the APIM console. APIs use a notification through notificationsRefs; it makes no call to APIM by itself.',
  spec: object('The notification.', {
    target: required(enumeration(['console'], 'Where notifications are shown.', { default: 'console' })),
    eventType: required(enumeration(['api'], 'What the events are about.', { default: 'api' })),
    console: withDefault(
      object('Console notifications.', {
        apiEvents: array('API events that notify.', enumeration(API_EVENTS, 'An API event.')),
        groupRefs: array('Group objects whose members are notified.', reference('a Group')),
        groups: stringList('APIM groups (ids) whose members are notified.', 'A group id.'),
      }),
      {},
    ),
  }),
  status: status('What the operator last observed of the notification.'),
  printerColumns: [
    { name: 'Target', type: 'string', jsonPath: '.spec.target', description: 'Where notifications are shown.' },
    { name: 'Event Type', type: 'string', jsonPath: '.spec.eventType', description: 'What the events are about.' },
  ],
});
