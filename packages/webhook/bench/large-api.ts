// A large v4 API, as a platform team might write one: many plans, flows, pages and endpoints.
export function largeApi(namespace: string, name: string): Record<string, unknown> {
  const step = (i: number) => ({
    name: `step ${i}`,
    policy: 'transform-headers',
    enabled: true,
    configuration: { addHeaders: [{ name: `x-step-${i}`, value: `{#request.headers['x-id']}` }] },
  });
  const flow = (i: number) => ({
    name: `flow ${i}`,
    enabled: true,
    selectors: [{ type: 'HTTP', path: `/resource-${i}`, pathOperator: 'STARTS_WITH', methods: ['GET', 'POST'] }],
    request: Array.from({ length: 4 }, (_, s) => step(s)),
    response: Array.from({ length: 2 }, (_, s) => step(s)),
  });
  return {
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'ApiV4Definition',
    metadata: { name, namespace, uid: '6f1c2d3e-0000-4000-8000-000000000001', generation: 1 },
    spec: {
      name,
      version: '3.2.1',
      description: 'A large API used to measure admission latency.',
      type: 'PROXY',
      state: 'STARTED',
      definitionContext: { origin: 'KUBERNETES', syncFrom: 'KUBERNETES' },
      listeners: [
        {
          type: 'HTTP',
          paths: Array.from({ length: 10 }, (_, i) => ({ path: `/${name}/v${i}` })),
          entrypoints: [{ type: 'http-proxy' }],
        },
      ],
      endpointGroups: Array.from({ length: 8 }, (_, g) => ({
        name: `group-${g}`,
        type: 'http-proxy',
        loadBalancer: { type: 'ROUND_ROBIN' },
        endpoints: Array.from({ length: 5 }, (_, e) => ({
          name: `endpoint-${g}-${e}`,
          type: 'http-proxy',
          inheritConfiguration: false,
          configuration: { target: `http://backend-${g}-${e}.svc:8080` },
        })),
      })),
      flows: Array.from({ length: 40 }, (_, i) => flow(i)),
      plans: Object.fromEntries(
        Array.from({ length: 12 }, (_, p) => [
          `plan-${p}`,
          {
            name: `Plan ${p}`,
            description: 'A plan.',
            security: { type: p % 2 ? 'API_KEY' : 'JWT' },
            flows: Array.from({ length: 3 }, (_, i) => flow(i)),
          },
        ]),
      ),
      pages: Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [
          `page-${i}`,
          {
            name: `Page ${i}`,
            type: 'MARKDOWN',
            published: true,
            content: `# Page ${i}\n${'Some documentation. '.repeat(40)}`,
          },
        ]),
      ),
      properties: Array.from({ length: 20 }, (_, i) => ({ key: `property-${i}`, value: `value-${i}` })),
      metadata: Array.from({ length: 10 }, (_, i) => ({
        key: `meta-${i}`,
        name: `Meta ${i}`,
        format: 'STRING',
        value: `v${i}`,
      })),
    },
  };
}
