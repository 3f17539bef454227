import { describe, expect, it } from 'vitest';
import { contextPathKey, normalisePath, v2ContextPaths, v4ContextPaths } from './context-paths.ts';

describe('context paths', () => {
  it('compare equal whatever the slashes and host case', () => {
    expect(normalisePath('orders')).toBe('/orders/');
    expect(normalisePath('/orders//v1/')).toBe('/orders/v1/');
    expect(normalisePath('/')).toBe('/');
    expect(contextPathKey({ host: 'API.example.com', path: '/orders' })).toBe(
      contextPathKey({ host: 'api.example.com', path: 'orders/' }),
    );
    expect(contextPathKey({ path: '/orders' })).not.toBe(contextPathKey({ host: 'api.example.com', path: '/orders' }));
  });

  it('come from the HTTP listeners of v4 APIs and the virtual hosts of v2 APIs', () => {
    expect(
      v4ContextPaths([
        { type: 'HTTP', paths: [{ path: '/a' }, { host: 'X', path: 'b' }] },
        { type: 'KAFKA', host: 'k', port: 1 },
      ]),
    ).toEqual([
      { host: '', path: '/a/' },
      { host: 'x', path: '/b/' },
    ]);
    expect(v2ContextPaths({ virtual_hosts: [{ path: '/legacy' }] })).toEqual([{ host: '', path: '/legacy/' }]);
    expect(v2ContextPaths(undefined)).toEqual([]);
  });
});
