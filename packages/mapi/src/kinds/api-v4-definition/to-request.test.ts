import { describe, expect, it } from 'vitest';
import type { ApiV4Definition } from '@gko/api';
import { NO_REFERENCES, UnresolvedReferenceError, type ApiReferences } from '../references.ts';
import { apiV4Status } from './from-response.ts';
import { SHARED_POLICY_GROUP_POLICY, toApiV4Spec } from './to-request.ts';

const api = (spec: Partial<ApiV4Definition['spec']>): ApiV4Definition => ({
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiV4Definition',
  metadata: { name: 'orders', namespace: 'team-a' },
  spec: {
    name: 'Orders',
    version: '1.0',
    type: 'PROXY',
    listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }] }],
    endpointGroups: [{ name: 'backend', endpoints: [{ type: 'http-proxy', inheritConfiguration: false }] }],
    ...spec,
  },
});

describe('an ApiV4Definition as an Automation API request', () => {
  it('is identified by namespace-name and carries defaults APIM requires', () => {
    const body = toApiV4Spec(api({}), NO_REFERENCES);
    expect(body).toMatchObject({
      hrid: 'team-a-orders',
      state: 'STARTED',
      lifecycleState: 'UNPUBLISHED',
      visibility: 'PRIVATE',
      notifyMembers: true,
    });
    expect(body.endpointGroups[0]).toEqual({
      name: 'backend',
      type: 'http-proxy',
      endpoints: [{ name: 'backend-1', type: 'http-proxy', inheritConfiguration: false }],
    });
    // Nothing declared, nothing sent: APIM keeps what it has (members, pages) or defaults (round-robin).
    expect(body).not.toHaveProperty('members');
    expect(body).not.toHaveProperty('pages');
  });

  it('turns the plans and pages maps into lists identified by their normalised keys', () => {
    const body = toApiV4Spec(
      api({
        plans: { 'Key Less': { name: 'Free', security: { type: 'KEY_LESS' }, generalConditions: 'terms.v1' } },
        pages: {
          docs: { name: 'Docs', type: 'FOLDER' },
          'terms.v1': { name: 'Terms', type: 'MARKDOWN', parent: 'docs' },
        },
      }),
      NO_REFERENCES,
    );
    expect(body.plans).toEqual([
      {
        hrid: 'Key-Less',
        name: 'Free',
        security: { type: 'KEY_LESS' },
        status: 'PUBLISHED',
        type: 'API',
        validation: 'AUTO',
        mode: 'STANDARD',
        flows: [],
        generalConditionsHrid: 'terms-v1',
      },
    ]);
    expect(body.pages).toEqual([
      { hrid: 'docs', name: 'Docs', type: 'FOLDER', published: false, visibility: 'PUBLIC' },
      { hrid: 'terms-v1', name: 'Terms', type: 'MARKDOWN', published: false, visibility: 'PUBLIC', parentHrid: 'docs' },
    ]);
  });

  it('renames the connect phase and runs shared policy groups through their policy', () => {
    const refs: ApiReferences = {
      ...NO_REFERENCES,
      sharedPolicyGroup: (ref) =>
        ref.name === 'headers' ? { hrid: 'team-a-headers', crossId: 'c-1', name: 'Headers' } : undefined,
    };
    const body = toApiV4Spec(
      api({
        type: 'NATIVE',
        flows: [
          {
            name: 'f',
            connect: [{ policy: 'quota', enabled: true }],
            interact: [{ sharedPolicyGroupRef: { name: 'headers' }, enabled: true }],
          },
        ],
      }),
      refs,
    );
    expect(body.flows?.[0]).toEqual({
      name: 'f',
      enabled: true,
      entrypointConnect: [{ policy: 'quota', enabled: true }],
      interact: [
        {
          name: 'Headers',
          enabled: true,
          policy: SHARED_POLICY_GROUP_POLICY,
          configuration: { sharedPolicyGroupId: 'c-1', hrid: 'team-a-headers' },
        },
      ],
    });
  });

  it('says which reference is missing and where', () => {
    const spec = {
      flows: [{ request: [{ sharedPolicyGroupRef: { name: 'nope', namespace: 'shared' }, enabled: true }] }],
    };
    expect(() => toApiV4Spec(api(spec), NO_REFERENCES)).toThrow(UnresolvedReferenceError);
    expect(() => toApiV4Spec(api(spec), NO_REFERENCES)).toThrow(
      'spec.flows[0].request[0].sharedPolicyGroupRef: SharedPolicyGroup shared/nope does not exist',
    );
  });

  it('inlines referenced resources and adds referenced group names', () => {
    const refs: ApiReferences = {
      ...NO_REFERENCES,
      resource: (ref) =>
        ref.namespace === 'team-a' && ref.name === 'cache'
          ? { name: 'my-cache', type: 'cache', configuration: { ttl: 1 } }
          : undefined,
      groupNames: ['Platform', 'Ops'],
    };
    const body = toApiV4Spec(api({ resources: [{ ref: { name: 'cache' } }], groups: ['Ops', 'Devs'] }), refs);
    expect(body.resources).toEqual([{ name: 'my-cache', type: 'cache', configuration: { ttl: 1 }, enabled: true }]);
    expect(body.groups).toEqual(['Ops', 'Devs', 'Platform']);
  });

  it('moves endpoint-group HTTP, TLS and header settings into the shared configuration, without overriding it', () => {
    const body = toApiV4Spec(
      api({
        endpointGroups: [
          {
            name: 'backend',
            type: 'http-proxy',
            http: { followRedirects: false, pipelining: false, useCompression: true },
            headers: { 'x-team': 'a' },
            sharedConfiguration: { ssl: { trustAll: false, hostnameVerifier: true } },
            ssl: { trustAll: true, hostnameVerifier: false },
          },
        ],
      }),
      NO_REFERENCES,
    );
    expect(body.endpointGroups[0]!.sharedConfiguration).toEqual({
      ssl: { trustAll: false, hostnameVerifier: true },
      http: { followRedirects: false, pipelining: false, useCompression: true },
      headers: [{ name: 'x-team', value: 'a' }],
    });
  });

  it('upper-cases the flow execution mode and drops values APIM does not know', () => {
    expect(
      toApiV4Spec(api({ flowExecution: { mode: 'default', matchRequired: false } }), NO_REFERENCES).flowExecution,
    ).toEqual({ mode: 'DEFAULT', matchRequired: false });
    expect(
      toApiV4Spec(api({ flowExecution: { mode: 'sometimes', matchRequired: true } }), NO_REFERENCES).flowExecution,
    ).toEqual({ matchRequired: true });
  });

  it('drops empty metadata values and properties without a key', () => {
    const body = toApiV4Spec(
      api({
        metadata: [{ key: 'team', name: 'Team', format: 'STRING', value: '' }],
        properties: [{ value: 'orphan' }, { key: 'k', value: 'v' }],
      }),
      NO_REFERENCES,
    );
    expect(body.metadata).toEqual([{ key: 'team', name: 'Team', format: 'STRING' }]);
    expect(body.properties).toEqual([{ key: 'k', value: 'v' }]);
  });
});

describe('the status of an ApiV4Definition, from the stored API', () => {
  it('records ids, state, plan ids by HRID and the problems reported', () => {
    expect(
      apiV4Status({
        hrid: 'team-a-orders',
        id: 'a-1',
        crossId: 'x-1',
        organizationId: 'DEFAULT',
        environmentId: 'DEFAULT',
        state: 'STARTED',
        name: 'Orders',
        version: '1',
        type: 'PROXY',
        lifecycleState: 'UNPUBLISHED',
        listeners: [],
        endpointGroups: [],
        plans: [
          {
            hrid: 'free',
            id: 'p-1',
            name: 'Free',
            status: 'PUBLISHED',
            type: 'API',
            validation: 'AUTO',
            mode: 'STANDARD',
          },
        ],
        errors: { warning: ['category [x] is not defined'] },
      }),
    ).toEqual({
      id: 'a-1',
      crossId: 'x-1',
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      state: 'STARTED',
      plans: { free: 'p-1' },
      errors: { warning: ['category [x] is not defined'] },
    });
  });
});
