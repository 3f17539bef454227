import { describe, expect, it } from 'vitest';
import { createValidator } from './validator.ts';

const validator = createValidator();
const v4 = (spec: Record<string, unknown>) => ({
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiV4Definition',
  metadata: { name: 'a' },
  spec,
});
const minimal = {
  name: 'a',
  version: '1',
  type: 'PROXY',
  listeners: [{ type: 'HTTP', paths: [{ path: '/a' }] }],
  endpointGroups: [{ name: 'g', loadBalancer: {}, endpoints: [{ type: 'http-proxy', inheritConfiguration: true }] }],
  plans: { free: { name: 'Free', flows: [{ request: [{ policy: 'noop' }] }] } },
};

describe('defaults, as kube-apiserver applies them', () => {
  it('fill in absent fields at every level where the parent exists', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a deep look into a defaulted object
    const spec = validator.withDefaults(v4(minimal))['spec'] as any;
    expect(spec).toMatchObject({
      state: 'STARTED',
      lifecycleState: 'UNPUBLISHED',
      visibility: 'PRIVATE',
      definitionVersion: 'V4',
      flows: [],
    });
    expect(spec.endpointGroups[0].loadBalancer).toEqual({ type: 'ROUND_ROBIN' });
    expect(spec.endpointGroups[0].endpoints[0]).toMatchObject({ secondary: false, tenants: [] });
    expect(spec.plans.free).toMatchObject({
      status: 'PUBLISHED',
      type: 'API',
      validation: 'AUTO',
      mode: 'STANDARD',
      tags: [],
    });
    expect(spec.plans.free.flows[0]).toMatchObject({ enabled: true, request: [{ policy: 'noop', enabled: true }] });
  });

  it('do not create objects that were not given', () => {
    const spec = validator.withDefaults(v4(minimal))['spec'] as Record<string, unknown>;
    expect(spec['definitionContext']).toBeUndefined();
    expect(spec['failover']).toBeUndefined();
  });

  it('also apply inside an object that a default just created', () => {
    const notification = {
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'Notification',
      metadata: { name: 'n' },
      spec: {},
    };
    expect(validator.withDefaults(notification)['spec']).toEqual({ target: 'console', eventType: 'api', console: {} });
  });

  it('replace fields set to null, which kube-apiserver drops', () => {
    const spec = validator.withDefaults(v4({ ...minimal, state: null, description: null }))['spec'] as Record<
      string,
      unknown
    >;
    expect(spec['state']).toBe('STARTED');
    expect('description' in spec).toBe(false);
  });

  it('keep the values that were given', () => {
    const spec = validator.withDefaults(v4({ ...minimal, state: 'STOPPED' }))['spec'] as Record<string, unknown>;
    expect(spec['state']).toBe('STOPPED');
  });

  it('are what validate() returns as the stored object, without status', () => {
    const result = validator.validate({ ...v4(minimal), status: { id: 'x' } });
    expect(result.valid).toBe(true);
    expect(result.object?.['status']).toBeUndefined();
    expect((result.object?.['spec'] as Record<string, unknown>)['state']).toBe('STARTED');
  });
});
