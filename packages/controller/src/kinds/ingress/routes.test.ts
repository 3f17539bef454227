import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '@kubernetes/client-node';
import { upstreamReferenceDir } from '@gko/api/corpus';
import type { Ingress, IngressPath, IngressRule } from './ingress.ts';
import { ingressRoutes, serviceTarget } from './routes.ts';

const ingress = (rules: IngressRule[], spec: Partial<NonNullable<Ingress['spec']>> = {}): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'team-a', uid: 'u-1' },
  spec: { ...spec, rules },
});

const toService = (name: string, port: number, path?: Partial<IngressPath>): IngressPath => ({
  path: '/',
  pathType: 'Prefix',
  ...path,
  backend: { service: { name, port: { number: port } } },
});

describe('the routes of an Ingress', () => {
  it('are one per rule and path, in the order written', () => {
    const routes = ingressRoutes(
      ingress([
        { host: 'a.example.com', http: { paths: [toService('one', 80, { path: '/x' }), toService('two', 80)] } },
        { host: 'b.example.com', http: { paths: [toService('one', 80, { path: '/y' })] } },
      ]),
    );
    expect(routes.problems).toEqual([]);
    expect(routes.routes.map((r) => [r.host, r.path, r.endpoint, r.field])).toEqual([
      ['a.example.com', '/x', 'one-80', 'spec.rules[0].http.paths[0]'],
      ['a.example.com', '/', 'two-80', 'spec.rules[0].http.paths[1]'],
      ['b.example.com', '/y', 'one-80', 'spec.rules[1].http.paths[0]'],
    ]);
  });

  it('take "/" for a path that is not given', () => {
    const { routes } = ingressRoutes(
      ingress([{ http: { paths: [{ pathType: 'ImplementationSpecific', backend: toService('web', 80).backend }] } }]),
    );
    expect(routes).toHaveLength(1);
    expect(routes[0]!.path).toBe('/');
  });

  it('match only the path itself for pathType Exact, and what is below it otherwise', () => {
    const { routes } = ingressRoutes(
      ingress([
        {
          http: {
            paths: [
              toService('web', 80, { path: '/exact', pathType: 'Exact' }),
              toService('web', 80, { path: '/prefix', pathType: 'Prefix' }),
              toService('web', 80, { path: '/impl', pathType: 'ImplementationSpecific' }),
            ],
          },
        },
      ]),
    );
    expect(routes.map((r) => [r.path, r.exact])).toEqual([
      ['/exact', true],
      ['/prefix', false],
      ['/impl', false],
    ]);
  });

  it('leave the host out of a rule without one, so that it serves any host', () => {
    const { routes } = ingressRoutes(ingress([{ host: '', http: { paths: [toService('web', 80)] } }]));
    expect(routes[0]).not.toHaveProperty('host');
  });

  it('share one endpoint per Service port, whichever paths and rules lead to it', () => {
    const { routes, endpoints } = ingressRoutes(
      ingress([
        {
          host: 'a.example.com',
          http: { paths: [toService('web', 80, { path: '/a' }), toService('web', 8080, { path: '/b' })] },
        },
        { host: 'b.example.com', http: { paths: [toService('web', 80, { path: '/c' })] } },
      ]),
    );
    expect(endpoints).toEqual([
      { name: 'web-80', target: 'http://web.team-a.svc.cluster.local:80' },
      { name: 'web-8080', target: 'http://web.team-a.svc.cluster.local:8080' },
    ]);
    expect(routes.map((r) => r.endpoint)).toEqual(['web-80', 'web-8080', 'web-80']);
  });

  it("lead to the Service's in-cluster address, in the Ingress's namespace", () => {
    expect(serviceTarget('httpbin', 'default', 8080)).toBe('http://httpbin.default.svc.cluster.local:8080');
    const { endpoints } = ingressRoutes(ingress([{ http: { paths: [toService('orders', 9000)] } }]));
    expect(endpoints[0]!.target).toBe('http://orders.team-a.svc.cluster.local:9000');
  });
});

describe('what the gateway cannot serve', () => {
  it('is a resource backend, named by its field', () => {
    const { routes, problems } = ingressRoutes(
      ingress([
        {
          http: {
            paths: [
              toService('web', 80, { path: '/ok' }),
              { path: '/bucket', pathType: 'Prefix', backend: { resource: { kind: 'StorageBucket', name: 'b' } } },
            ],
          },
        },
      ]),
    );
    expect(problems).toEqual([
      'spec.rules[0].http.paths[1].backend: only Service backends can be routed to by the gateway',
    ]);
    // The rest is still computed: the reconciler refuses the Ingress as a whole from the problems.
    expect(routes.map((r) => r.path)).toEqual(['/ok']);
  });

  it('is a Service port given by name, since port names are not resolved', () => {
    const { routes, problems } = ingressRoutes(
      ingress([
        {
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }],
          },
        },
      ]),
    );
    expect(routes).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.port: /);
    expect(problems[0]).toContain('by number');
  });

  it('is a wildcard host, which the gateway cannot match', () => {
    const { problems } = ingressRoutes(ingress([{ host: '*.example.com', http: { paths: [toService('web', 80)] } }]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^spec\.rules\[0\]\.host: \*\.example\.com cannot be served/);
  });

  it('is a host and path already routed, naming the field that routes it first', () => {
    const { routes, problems } = ingressRoutes(
      ingress([
        { host: 'a.example.com', http: { paths: [toService('one', 80, { path: '/api' })] } },
        { host: 'a.example.com', http: { paths: [toService('two', 80, { path: '/api' })] } },
        { http: { paths: [toService('three', 80, { path: '/api' }), toService('four', 80, { path: '/api' })] } },
      ]),
    );
    expect(problems).toEqual([
      'spec.rules[1].http.paths[0]: host a.example.com and path /api are already routed by spec.rules[0].http.paths[0]',
      'spec.rules[2].http.paths[1]: host (any) and path /api are already routed by spec.rules[2].http.paths[0]',
    ]);
    // The same path on another host, or on any host, is not a duplicate.
    expect(routes.map((r) => r.endpoint)).toEqual(['one-80', 'three-80']);
  });

  it('is an Ingress with no HTTP path at all', () => {
    const message = 'spec.rules: no HTTP path to route: the gateway would have nothing to serve';
    expect(ingressRoutes(ingress([])).problems).toEqual([message]);
    expect(ingressRoutes({ ...ingress([]), spec: undefined }).problems).toEqual([message]);
    // A rule without http (host only) routes nothing either.
    expect(ingressRoutes(ingress([{ host: 'a.example.com' }])).problems).toEqual([message]);
  });

  it('says nothing more about paths when every path already has a problem', () => {
    const { problems } = ingressRoutes(
      ingress([{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }]),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('no HTTP path');
  });
});

describe('what the gateway ignores', () => {
  it('is spec.defaultBackend, said as a warning rather than a problem', () => {
    const result = ingressRoutes(
      ingress([{ http: { paths: [toService('web', 80)] } }], { defaultBackend: toService('fallback', 80).backend! }),
    );
    expect(result.problems).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^spec\.defaultBackend is not used/);
    // The default backend is not routed to, so it has no endpoint.
    expect(result.endpoints.map((e) => e.name)).toEqual(['web-80']);
  });

  it('is nothing for an Ingress without defaultBackend', () => {
    expect(ingressRoutes(ingress([{ http: { paths: [toService('web', 80)] } }])).warnings).toEqual([]);
  });
});

const dir = upstreamReferenceDir();
if (!dir)
  console.warn('upstream reference data (../shared/reference/gko) not found: upstream Ingress examples skipped');

/** An upstream Ingress example as the API server hands it over: in a namespace, with a uid. */
function ingressExample(file: string): Ingress {
  const text = readFileSync(join(dir!, 'examples', 'ingress', file), 'utf8');
  // The JSON round trip leaves out the fields the client's deserializer sets to undefined.
  const object = JSON.parse(JSON.stringify(loadYaml(text))) as Ingress;
  return { ...object, metadata: { ...object.metadata, namespace: 'default', uid: 'u-example' } };
}

describe.skipIf(!dir)('the routes of the upstream Ingress examples', () => {
  it('are three for the multiple-hosts example: two hosts, and one for any host', () => {
    const result = ingressRoutes(ingressExample('ingress-with-multiple-hosts.yml'));
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.routes).toEqual([
      {
        host: 'foo.example.com',
        path: '/ingress/foo',
        exact: false,
        endpoint: 'httpbin-1-8080',
        field: 'spec.rules[0].http.paths[0]',
      },
      {
        host: 'bar.example.com',
        path: '/ingress/bar',
        exact: false,
        endpoint: 'httpbin-2-8080',
        field: 'spec.rules[1].http.paths[0]',
      },
      { path: '/ingress/baz', exact: false, endpoint: 'httpbin-3-8080', field: 'spec.rules[2].http.paths[0]' },
    ]);
    expect(result.endpoints.map((e) => e.target)).toEqual([
      'http://httpbin-1.default.svc.cluster.local:8080',
      'http://httpbin-2.default.svc.cluster.local:8080',
      'http://httpbin-3.default.svc.cluster.local:8080',
    ]);
  });

  it('are one for the example without template', () => {
    const result = ingressRoutes(ingressExample('ingress-without-api-template.yml'));
    expect(result.problems).toEqual([]);
    expect(result.routes).toEqual([
      {
        host: 'httpbin.example.com',
        path: '/httpbin',
        exact: false,
        endpoint: 'httpbin-1-8080',
        field: 'spec.rules[0].http.paths[0]',
      },
    ]);
  });
});
