// The kinds with few rules of their own.
import { describe, expect, it } from 'vitest';
import { MemoryLookups } from '../lookups/memory-lookups.ts';
import { create, object, remove, v4Api, where } from '../test-support.ts';
import { isIngressTemplate } from '@gko/api';
import { apiDefinition } from './api-definition/index.ts';
import { apiResource } from './api-resource/index.ts';
import { group } from './group/index.ts';
import { notification } from './notification/index.ts';
import { sharedPolicyGroup } from './shared-policy-group/index.ts';

describe('the kinds with few rules', () => {
  it('a shared policy group cannot be deleted while a flow runs it', async () => {
    const spg = object('SharedPolicyGroup', 'headers', { name: 'h', apiType: 'PROXY', phase: 'REQUEST' });
    const api = v4Api('orders', {
      plans: { p: { name: 'p', flows: [{ request: [{ sharedPolicyGroupRef: { name: 'headers' } }] }] } },
    });
    expect(
      (await sharedPolicyGroup.validate(remove(spg), new MemoryLookups({ objects: [api] })))[0]?.message,
    ).toContain('still used by ApiV4Definition team-a/orders');
  });

  it('an ApiResource or a Notification cannot be deleted while an API refers to it', async () => {
    const api = v4Api('orders', { resources: [{ ref: { name: 'cache' } }], notificationsRefs: [{ name: 'events' }] });
    const lookups = new MemoryLookups({ objects: [api] });
    expect(where(await apiResource.validate(remove(object('ApiResource', 'cache', {})), lookups))).toEqual(['error ']);
    expect(where(await notification.validate(remove(object('Notification', 'events', {})), lookups))).toEqual([
      'error ',
    ]);
    expect(await apiResource.validate(remove(object('ApiResource', 'other', {})), lookups)).toEqual([]);
  });

  it('a group cannot make anyone primary owner', async () => {
    const g = object('Group', 'ops', {
      name: 'Ops',
      members: [{ source: 'memory', sourceId: 'a', roles: { API: 'PRIMARY_OWNER', APPLICATION: 'USER' } }],
    });
    expect(await group.validate(create(g), new MemoryLookups())).toEqual([
      {
        severity: 'error',
        path: 'spec.members[0].roles.API',
        message: 'the primary owner role cannot be given through a group',
      },
    ]);
  });

  it('a notification warns about groups that do not exist', async () => {
    const n = object('Notification', 'n', { console: { groupRefs: [{ name: 'ops' }] } });
    expect(where(await notification.validate(create(n), new MemoryLookups()))).toEqual([
      'warning spec.console.groupRefs[0]',
    ]);
  });

  it('an ingress template is not checked as an API', async () => {
    const template = object(
      'ApiDefinition',
      'tpl',
      { name: 't', version: '1', description: 'd', local: true, plans: [] },
      { metadata: { annotations: { 'gravitee.io/template': 'true' } } },
    );
    expect(isIngressTemplate(template as never)).toBe(true);
    expect(await apiDefinition.validate(create(template), new MemoryLookups())).toEqual([]);
    const api = object('ApiDefinition', 'legacy', {
      name: 't',
      version: '1',
      description: 'd',
      local: true,
      plans: [],
    });
    expect(where(await apiDefinition.validate(create(api), new MemoryLookups()))).toEqual(['error spec.plans']);
  });
});

describe('deleting an ingress template', () => {
  const template = object(
    'ApiDefinition',
    'tpl',
    { name: 't', version: '1', description: 'd', local: true },
    { metadata: { name: 'tpl', namespace: 'default', annotations: { 'gravitee.io/template': 'true' } } },
  );
  const ingress = (name: string, annotations: Record<string, string>, namespace = 'default') => ({
    metadata: { name, namespace, annotations },
    spec: {},
  });
  const using = ingress('shop', { 'kubernetes.io/ingress.class': 'graviteeio', 'gravitee.io/template': 'tpl' });

  it('is refused while an Ingress of a handled class names it, naming the Ingress', async () => {
    const lookups = new MemoryLookups({ settings: { ingressClasses: ['graviteeio'] }, ingresses: [using] });
    const findings = await apiDefinition.validate(remove(template), lookups);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error' });
    expect(findings[0]!.message).toContain('Ingress default/shop');
  });

  it('is allowed when the Ingresses naming it are of another class, in another namespace, or the controller is off', async () => {
    const others = [
      ingress('nginx', { 'kubernetes.io/ingress.class': 'nginx', 'gravitee.io/template': 'tpl' }),
      ingress('elsewhere', { 'kubernetes.io/ingress.class': 'graviteeio', 'gravitee.io/template': 'tpl' }, 'other'),
      ingress('plain', { 'kubernetes.io/ingress.class': 'graviteeio' }),
    ];
    const on = new MemoryLookups({ settings: { ingressClasses: ['graviteeio'] }, ingresses: others });
    expect(await apiDefinition.validate(remove(template), on)).toEqual([]);
    const off = new MemoryLookups({ ingresses: [using] });
    expect(await apiDefinition.validate(remove(template), off)).toEqual([]);
  });
});
