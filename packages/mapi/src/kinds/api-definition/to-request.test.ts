import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '@gko/api';
import { NO_REFERENCES } from '../references.ts';
import { hashUuid } from '../../identity/uuid.ts';
import { v2ApiIds } from './ids.ts';
import { toV2Definition } from './to-request.ts';

const api = (over: Partial<ApiDefinition> = {}, spec: Partial<ApiDefinition['spec']> = {}): ApiDefinition => ({
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiDefinition',
  metadata: { name: 'legacy', namespace: 'team-a', uid: 'uid-1' },
  spec: {
    name: 'Legacy',
    version: '1',
    description: 'd',
    contextRef: { name: 'apim' },
    local: false,
    proxy: { virtual_hosts: [{ path: '/legacy' }] },
    plans: [{ name: 'Free', description: 'free', security: 'KEY_LESS' }],
    pages: {
      folder: { name: 'Folder', type: 'FOLDER' },
      readme: { name: 'Readme', type: 'MARKDOWN', parent: 'folder' },
    },
    groupRefs: [{ name: 'ops' }],
    ...spec,
  },
  ...over,
});

describe('an ApiDefinition as an mAPI v1 import', () => {
  it('keeps the ids it already has: status first, then spec, then the object uid', () => {
    expect(v2ApiIds(api()).id).toBe('uid-1');
    expect(v2ApiIds(api({}, { id: 'spec-id' })).id).toBe('spec-id');
    expect(v2ApiIds(api({ status: { id: 'status-id' } }, { id: 'spec-id' })).id).toBe('status-id');
    expect(v2ApiIds(api()).crossId).toBe(v2ApiIds(api()).crossId);
  });

  it('computes stable plan and page ids, with page parents', () => {
    const first = toV2Definition(api(), NO_REFERENCES);
    const again = toV2Definition(api(), NO_REFERENCES);
    expect(first).toEqual(again);
    const plan = first.plans![0]!;
    expect(plan).toMatchObject({ name: 'Free', crossId: hashUuid('uid-1/Free') });
    expect(plan.id).toMatch(/^[0-9a-f-]{36}$/);
    const pages = first.pages as Record<string, { id: string; parentId?: string }>;
    expect(pages['readme']!.parentId).toBe(pages['folder']!.id);
  });

  it('reuses plan ids APIM gave, by cross id', () => {
    const crossId = toV2Definition(api(), NO_REFERENCES).plans![0]!.crossId!;
    expect(toV2Definition(api({ status: { plans: { [crossId]: 'apim-plan-id' } } }), NO_REFERENCES).plans![0]!.id).toBe(
      'apim-plan-id',
    );
  });

  it('removes the fields only the operator reads and sets the definition context', () => {
    const body = toV2Definition(api({}, { local: true }), { ...NO_REFERENCES, groupNames: ['Ops'] }) as Record<
      string,
      unknown
    >;
    for (const field of ['contextRef', 'local', 'groupRefs', 'notificationsRefs'])
      expect(body[field], field).toBeUndefined();
    expect(body['definition_context']).toEqual({ origin: 'kubernetes', mode: 'fully_managed', syncFrom: 'KUBERNETES' });
    expect(body['groups']).toEqual(['Ops']);
    expect(body['gravitee']).toBe('2.0.0');
  });
});

describe('the console notifications of an ApiDefinition', () => {
  it('are configured as upstream configures them: the events and the groups to tell', () => {
    const body = toV2Definition(api(), {
      ...NO_REFERENCES,
      consoleNotification: { events: ['API_STARTED', 'API_STOPPED'], groups: ['ops', 'Developers'] },
    });
    expect(body.consoleNotificationConfiguration).toEqual({
      config_type: 'PORTAL',
      origin: 'KUBERNETES',
      hooks: ['API_STARTED', 'API_STOPPED'],
      groups: ['ops', 'Developers'],
    });
    expect(toV2Definition(api(), NO_REFERENCES)).not.toHaveProperty('consoleNotificationConfiguration');
  });
});
