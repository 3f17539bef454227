import { describe, expect, it } from 'vitest';
import { groupStatus, toGroupSpec } from './index.ts';
import { toDictionarySpec } from '../dictionary/index.ts';
import { toSharedPolicyGroupSpec } from '../shared-policy-group/index.ts';

const meta = { name: 'x', namespace: 'team-a' };

describe('groups, dictionaries and shared policy groups as Automation API requests', () => {
  it('a group carries its members with their roles, and reports the members APIM kept', () => {
    expect(
      toGroupSpec({
        apiVersion: 'gravitee.io/v1alpha1',
        kind: 'Group',
        metadata: meta,
        spec: {
          contextRef: { name: 'apim' },
          name: 'Ops',
          members: [{ source: 'memory', sourceId: 'alice', roles: { API: 'OWNER' } }],
        },
      }),
    ).toEqual({
      hrid: 'team-a-x',
      name: 'Ops',
      notifyMembers: true,
      members: [{ source: 'memory', sourceId: 'alice', roles: { API: 'OWNER' } }],
    });
    expect(groupStatus({ hrid: 'h', name: 'Ops', id: 'g-1', memberCount: 1 })).toEqual({ id: 'g-1', members: 1 });
  });

  it('a dictionary carries only the part its type uses', () => {
    expect(
      toDictionarySpec({
        apiVersion: 'gravitee.io/v1alpha1',
        kind: 'Dictionary',
        metadata: meta,
        spec: {
          contextRef: { name: 'apim' },
          name: 'd',
          type: 'MANUAL',
          deployed: true,
          manual: { properties: { a: 'b' } },
        },
      }),
    ).toEqual({ hrid: 'team-a-x', name: 'd', type: 'MANUAL', deployed: true, manual: { properties: { a: 'b' } } });
  });

  it('a shared policy group gives every step a policy and an enabled flag', () => {
    const body = toSharedPolicyGroupSpec({
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'SharedPolicyGroup',
      metadata: meta,
      spec: {
        contextRef: { name: 'apim' },
        name: 'H',
        apiType: 'PROXY',
        phase: 'REQUEST',
        steps: [{ policy: 'transform-headers', enabled: false }],
      },
    });
    expect(body).toEqual({
      hrid: 'team-a-x',
      name: 'H',
      apiType: 'PROXY',
      phase: 'REQUEST',
      steps: [{ policy: 'transform-headers', enabled: false }],
    });
  });
});
