import { describe, expect, it } from 'vitest';
import { MemoryLookups } from '../lookups/memory-lookups.ts';
import { secret } from '../test-support.ts';
import { objectLookup } from './lookup-adapter.ts';

describe('the objects the mappings read', () => {
  it('are ApiResources with their own templates compiled, in their own namespace', () => {
    const resource = {
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'ApiResource',
      metadata: { name: 'redis', namespace: 'shared' },
      spec: { name: 'redis', type: 'cache-redis', configuration: { password: '[[ secret `redis/password` ]]' } },
    };
    const lookups = new MemoryLookups({
      objects: [
        resource,
        { ...secret('redis', { password: 'from-shared' }), metadata: { name: 'redis', namespace: 'shared' } },
        { ...secret('redis', { password: 'from-team-a' }), metadata: { name: 'redis', namespace: 'team-a' } },
      ],
    });
    const found = objectLookup(lookups)('ApiResource', 'shared', 'redis') as typeof resource;
    expect(found.spec.configuration.password).toBe('from-shared');
    expect(resource.spec.configuration.password).toBe('[[ secret `redis/password` ]]');
  });
});
