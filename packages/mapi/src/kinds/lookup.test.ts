import { describe, expect, it } from 'vitest';
import type { Application } from '@gko/api';
import { resolveCertificates } from './application/certificates.ts';
import { apiReferences, type DataLookup, type ObjectLookup } from './lookup.ts';

const objects: Record<string, unknown> = {
  'Group/team-a/ops': { spec: { name: 'Operations' } },
  'Group/shared/devs': { spec: { name: 'Developers' } },
  'Notification/team-a/events': {
    spec: {
      target: 'console',
      console: { apiEvents: ['API_STARTED'], groups: ['g-id'], groupRefs: [{ name: 'devs', namespace: 'shared' }] },
    },
  },
  'SharedPolicyGroup/team-a/headers': {
    metadata: { namespace: 'team-a', name: 'headers' },
    spec: { name: 'Headers', hrid: 'not-used' },
    status: { crossId: 'c-1', conditions: [{ type: 'AutomationAPIManaged', status: 'True' }] },
  },
  // Synchronised by upstream's operator before HRIDs existed: APIM knows it by its crossId only.
  'SharedPolicyGroup/team-a/old': {
    metadata: { namespace: 'team-a', name: 'old' },
    spec: { name: 'Old' },
    status: { crossId: 'c-2' },
  },
  'ApiResource/team-a/cache': { spec: { name: 'cache', type: 'cache' } },
};
const lookup: ObjectLookup = (kind, ns, name) => objects[`${kind}/${ns}/${name}`];

describe('the references of an API, read from the cluster', () => {
  it('give group names, the console notification, shared policy group ids and resources', () => {
    const refs = apiReferences(
      {
        metadata: { namespace: 'team-a' },
        spec: { groupRefs: [{ name: 'ops' }, { name: 'missing' }], notificationsRefs: [{ name: 'events' }] },
      },
      lookup,
    );
    expect(refs.groupNames).toEqual(['Operations']);
    expect(refs.consoleNotification).toEqual({ events: ['API_STARTED'], groups: ['g-id', 'Developers'] });
    expect(refs.sharedPolicyGroup({ namespace: 'team-a', name: 'headers' })).toEqual({
      hrid: 'team-a-headers',
      crossId: 'c-1',
      name: 'Headers',
    });
    expect(refs.sharedPolicyGroup({ namespace: 'team-a', name: 'old' })).toEqual({ crossId: 'c-2', name: 'Old' });
    expect(refs.resource({ namespace: 'team-a', name: 'cache' })).toEqual({ name: 'cache', type: 'cache' });
    expect(refs.resource({ namespace: 'team-a', name: 'nope' })).toBeUndefined();
  });
});

describe('the client certificates of an application', () => {
  const data: Record<string, Record<string, string>> = {
    'Secret/team-a/certs': { 'tls.crt': 'PEM-A' },
    'ConfigMap/team-a/more': { 'client.pem': Buffer.from('PEM-B').toString('base64') },
  };
  const read: DataLookup = (kind, ns, name) => data[`${kind}/${ns}/${name}`];
  const app = (
    certificates: NonNullable<NonNullable<Application['spec']['settings']['tls']>['clientCertificates']>,
  ): Application => ({
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'team-a' },
    spec: {
      contextRef: { name: 'apim' },
      name: 'Shop',
      description: 'd',
      settings: { tls: { clientCertificates: certificates } },
    },
  });

  it('come from the spec, Secrets and ConfigMaps, decoded when marked encoded, and named', () => {
    const { certificates, positions, problems } = resolveCertificates(
      app([
        { content: 'PEM-0', endsAt: '2030-01-01T00:00:00Z' },
        { name: 'partner', ref: { name: 'certs' } },
        { ref: { kind: 'configmaps', name: 'more', key: 'client.pem' }, encoded: true },
      ]),
      read,
    );
    expect(problems).toEqual([]);
    expect(positions).toEqual([0, 1, 2]);
    expect(certificates).toEqual([
      { name: 'Shop-0', content: 'PEM-0', endsAt: '2030-01-01T00:00:00Z' },
      { name: 'partner', content: 'PEM-A' },
      { name: 'Shop-2', content: 'PEM-B' },
    ]);
  });

  it('name the reference that cannot be read', () => {
    const { problems } = resolveCertificates(
      app([{ ref: { name: 'nope' } }, { ref: { name: 'certs', key: 'ca.crt' } }]),
      read,
    );
    expect(problems).toEqual([
      {
        path: 'spec.settings.tls.clientCertificates[0].ref',
        message: 'Secret team-a/nope does not exist',
        source: { kind: 'Secret', namespace: 'team-a', name: 'nope', detail: 'does not exist' },
        missing: true,
      },
      {
        path: 'spec.settings.tls.clientCertificates[1].ref',
        message: 'Secret team-a/certs has no key ca.crt',
        source: { kind: 'Secret', namespace: 'team-a', name: 'certs', detail: 'has no key ca.crt' },
        missing: false,
      },
    ]);
  });
});
