// The Ingress controller, with the webhook and the controllers in one process as they ship: every
// upstream ingress example becomes the gateway definition it should (checked field by field in the
// ConfigMap gateways read), follows the changes of its Ingress and of its template, registers its TLS
// Secret in the PEM registry (rotation, release, refusal of a key that does not match), publishes the
// gateway's address, and leaves Ingresses of other classes alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { upstreamReferenceDir } from '@gko/api/corpus';
import { createCertificateAuthority } from '@gko/kube/pki';
import {
  apply,
  installCrds,
  kubectl,
  kubectlOk,
  startControllerManager,
  startWebhook,
  waitReady,
  type ManagedProcess,
  type RunningWebhook,
} from '../../src/index.ts';
import { events, eventually, getJson, readyContext, type Manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
const dir = upstreamReferenceDir();
if (!dir) console.warn('upstream examples (../shared/reference/gko) not found: skipping the Ingress suite');

const ns = `ingress-${Date.now().toString(36)}`;
let operator: RunningWebhook;
let simulator: Simulator;
let garbageCollector: ManagedProcess;

type Object = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; finalizers?: string[] };
};

/** The objects of an upstream example file, in our namespace. */
function example(path: string): Object[] {
  const text = readFileSync(join(dir!, 'examples', path), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Object | null)
    .filter((o): o is Object => !!o);
}

interface Flow {
  name: string;
  condition: string;
  'path-operator': { path: string; operator: string };
  pre: { policy: string; configuration: Record<string, unknown> }[];
}
interface GatewayDefinition {
  name: string;
  plans: { name: string; security: string; status: string }[];
  flow_mode: string;
  proxy: {
    virtual_hosts: { host?: string; path: string }[];
    groups: { name: string; endpoints: { name: string; target: string }[] }[];
  };
  flows: Flow[];
}
interface StoredConfigMap {
  metadata: {
    resourceVersion: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
  data?: Record<string, string>;
}

const configMap = (name: string) => getJson<StoredConfigMap>(cluster, ns, `configmap/${name}`);

/** The definition gateways read for the API generated for an Ingress. */
async function gatewayDefinition(ingress: string, until: (d: GatewayDefinition) => boolean = () => true) {
  return eventually(
    `the gateway definition of Ingress ${ingress}`,
    async () => {
      const cm = await configMap(ingress);
      const definition = cm ? (JSON.parse(cm.data!['definition']!) as GatewayDefinition) : undefined;
      return definition && until(definition) ? definition : undefined;
    },
    45_000,
  );
}

const target = (service: string, port = 8080) => `http://${service}.${ns}.svc.cluster.local:${port}`;
const routeUrl = (flow: Flow) => (flow.pre[0]!.configuration['rules'] as { url: string }[])[0]!.url;

/** The upstream template, as the examples of templated Ingresses name it. */
function upstreamTemplate(): Object {
  return example('apim/api_definition/v2/api-with-template-annotation.yml')[0]!;
}

function ingress(name: string, rules: unknown[], annotations: Record<string, string> = {}, spec: object = {}): Object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, annotations: { 'kubernetes.io/ingress.class': 'graviteeio', ...annotations } },
    spec: { rules, ...spec },
  };
}

const rule = (host: string | undefined, paths: [string, string][]) => ({
  ...(host ? { host } : {}),
  http: {
    paths: paths.map(([path, service]) => ({
      path,
      pathType: 'Prefix',
      backend: { service: { name: service, port: { number: 8080 } } },
    })),
  },
});

async function tlsSecret(name: string, host: string, mismatched = false) {
  const ca = await createCertificateAuthority({ commonName: `ca-${name}`, validityDays: 1 });
  const issued = await ca.issue({ commonName: host, dnsNames: [host], usage: 'server', validityDays: 1 });
  const other = mismatched
    ? await ca.issue({ commonName: host, dnsNames: [host], usage: 'server', validityDays: 1 })
    : issued;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name },
    stringData: { 'tls.crt': issued.certPem, 'tls.key': other.keyPem },
  };
}

describe.skipIf(!dir)('Ingresses of class graviteeio', () => {
  beforeAll(async () => {
    await installCrds(cluster);
    simulator = await startSimulator();
    garbageCollector = await startControllerManager(cluster, ['garbage-collector-controller']);
    // The gateway Service whose address goes to the status of handled Ingresses.
    await kubectlOk(cluster, ['create', 'namespace', ns]);
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'gateway' },
        spec: { ports: [{ port: 80 }], externalIPs: ['192.0.2.10'] },
      }),
    });
    operator = await startWebhook(cluster, {
      program: 'operator',
      env: {
        NAMESPACE: ns,
        ENABLE_INGRESS: 'true',
        TEMPLATE_404_CONFIG_MAP_NAME: 'template-404',
        TEMPLATE_404_CONFIG_MAP_NAMESPACE: ns,
        INGRESS_PUBLISH_SERVICE: `${ns}/gateway`,
      },
    });
    await kubectlOk(cluster, [
      'label',
      'namespace',
      ns,
      ...Object.entries(operator.labels).map(([k, v]) => `${k}=${v}`),
    ]);
    // The upstream template names this context.
    await readyContext(cluster, ns, simulator.url, 'ctx-dev');
  });
  afterAll(async () => {
    await operator?.stop();
    await garbageCollector?.stop();
    await simulator?.stop();
    await kubectl(cluster, ['delete', 'namespace', ns, '--wait=false']);
  });

  it('applies every upstream ingress example', async () => {
    // Dependencies first: the 404 body, the PEM registry, the TLS Secret and the templates.
    const waves = [
      [
        'ingress/ingress-response-404-config-map.yml',
        'ingress/ingress-pem-registry.yml',
        'ingress/ingress-with-tls-secret.yml',
      ],
      ['ingress/ingress-api-template.yml', 'apim/api_definition/v2/api-with-template-annotation.yml'],
      [
        'ingress/ingress-without-api-template.yml',
        'ingress/ingress-with-multiple-hosts.yml',
        'ingress/ingress-with-api-template.yml',
        'ingress/ingress-with-tls.yml',
      ],
    ];
    for (const wave of waves) {
      const result = await apply(cluster, ns, wave.flatMap(example));
      expect(result.code, result.stderr).toBe(0);
    }
  });

  it('turns an Ingress without template into an open API with one route and the configured 404', async () => {
    const definition = await gatewayDefinition('ingress-without-api-template');
    expect(definition.name).toBe('ingress-without-api-template');
    expect(definition.flow_mode).toBe('DEFAULT');
    expect(definition.plans.map((p) => [p.name, p.security, p.status])).toEqual([
      ['Key Less', 'KEY_LESS', 'PUBLISHED'],
    ]);
    expect(definition.proxy.virtual_hosts).toEqual([{ host: 'httpbin.example.com', path: '/httpbin' }]);
    expect(definition.proxy.groups).toEqual([
      expect.objectContaining({
        name: 'default',
        endpoints: [expect.objectContaining({ name: 'httpbin-1-8080', target: target('httpbin-1') })],
      }),
    ]);
    const [route, notFound, ...rest] = definition.flows;
    expect(rest).toEqual([]);
    expect(route!['path-operator']).toEqual({ path: '/', operator: 'STARTS_WITH' });
    expect(route!.condition).toContain("#request.host == 'httpbin.example.com'");
    expect(route!.condition).toContain("#request.contextPath == '/httpbin'");
    expect(route!.pre[0]!.policy).toBe('dynamic-routing');
    expect(routeUrl(route!)).toBe("{#endpoints['httpbin-1-8080']}{#request.path}");
    expect(notFound!.name).toBe('No route found');
    expect(notFound!.condition).toBe(`{(!${route!.condition.slice(1, -1)})}`);
    expect(notFound!.pre[0]).toMatchObject({
      policy: 'mock',
      configuration: {
        status: '404',
        content: '{ "message": "not-found-test" }',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
      },
    });

    // Owned all the way: Ingress → ApiDefinition → ConfigMap.
    const api = (await getJson<{
      metadata: {
        annotations: Record<string, string>;
        ownerReferences: { kind: string; name: string; controller: boolean }[];
      };
      spec: { local: boolean };
    }>(cluster, ns, 'apidefinition/ingress-without-api-template'))!;
    expect(api.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Ingress', name: 'ingress-without-api-template', controller: true }),
    ]);
    expect(api.metadata.annotations['gravitee.io/extends']).toBe('gravitee.io/ingress');
    expect(api.spec.local).toBe(true);
    expect((await configMap('ingress-without-api-template'))!.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ApiDefinition', name: 'ingress-without-api-template' }),
    ]);
  });

  it('routes each host and path of an Ingress with several hosts to its own Service', async () => {
    const definition = await gatewayDefinition('ingress-with-multiple-hosts');
    expect(definition.proxy.virtual_hosts).toEqual([
      { host: 'foo.example.com', path: '/ingress/foo' },
      { host: 'bar.example.com', path: '/ingress/bar' },
      { path: '/ingress/baz' },
    ]);
    expect(definition.proxy.groups[0]!.endpoints.map((e) => [e.name, e.target])).toEqual([
      ['httpbin-1-8080', target('httpbin-1')],
      ['httpbin-2-8080', target('httpbin-2')],
      ['httpbin-3-8080', target('httpbin-3')],
    ]);
    const routes = definition.flows.slice(0, 3);
    expect(routes.map(routeUrl)).toEqual([
      "{#endpoints['httpbin-1-8080']}{#request.path}",
      "{#endpoints['httpbin-2-8080']}{#request.path}",
      "{#endpoints['httpbin-3-8080']}{#request.path}",
    ]);
    expect(routes[0]!.condition).toContain("#request.host == 'foo.example.com'");
    expect(routes[1]!.condition).toContain("#request.host == 'bar.example.com'");
    // The rule without host takes any host the other rules do not declare.
    expect(routes[2]!.condition).toContain("!(#request.host == 'foo.example.com'");
    expect(routes[2]!.condition).toContain("!(#request.host == 'bar.example.com'");
    expect(definition.flows[3]!.name).toBe('No route found');
    expect(definition.flows).toHaveLength(4);
  });

  it('takes the plans and flows of the template an Ingress names, and never deploys the template', async () => {
    const definition = await gatewayDefinition('ingress-with-api-template');
    expect(definition.plans.map((p) => [p.name, p.security])).toEqual([['Apikey', 'API_KEY']]);
    expect(definition.proxy.virtual_hosts).toEqual([{ host: 'httpbin.example.com', path: '/templated' }]);
    const api = await getJson<{ metadata: { annotations: Record<string, string> } }>(
      cluster,
      ns,
      'apidefinition/ingress-with-api-template',
    );
    expect(api!.metadata.annotations['ingress.gravitee.io/template']).toBe('api-template-with-api-key-plan');

    // The templates themselves: Ready as templates, no ConfigMap, nothing in APIM.
    for (const template of ['api-template-with-api-key-plan', 'ingress-template']) {
      expect((await waitReady(cluster, ns, `apidefinition/${template}`)).code).toBe(0);
      const ready = (await getJson<{ status: { conditions: { type: string; reason: string }[] } }>(
        cluster,
        ns,
        `apidefinition/${template}`,
      ))!.status.conditions.find((c) => c.type === 'Ready');
      expect(ready!.reason).toBe('Template');
      expect(await configMap(template)).toBeUndefined();
    }
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.v2Apis.size).toBe(0);
  });

  it('publishes an API to the APIM of a template that has a context', async () => {
    const templated = ingress('through-apim', [rule('apim.example.com', [['/apim', 'httpbin-1']])], {
      'gravitee.io/template': 'ingress-template',
    });
    expect((await apply(cluster, ns, templated)).code).toBe(0);
    // kubectl wait gives up at once on an object that does not exist yet.
    await eventually('the API generated', () => getJson(cluster, ns, 'apidefinition/through-apim'));
    expect((await waitReady(cluster, ns, 'apidefinition/through-apim')).code).toBe(0);
    const apis = simulator.state.environment('DEFAULT', 'DEFAULT')!.v2Apis;
    expect(apis.size).toBe(1);
    const stored = JSON.stringify([...apis.values()][0]);
    expect(stored).toContain('apim.example.com');
    // No local deployment: the template has a context and does not ask for one.
    expect(await configMap('through-apim')).toBeUndefined();
  });

  it('follows a path added and a rule removed, and removes the API when the Ingress is deleted', async () => {
    const base = example('ingress/ingress-with-multiple-hosts.yml')[0]!;
    const spec = structuredClone(base['spec']) as { rules: { host?: string; http: { paths: unknown[] } }[] };
    spec.rules[0]!.http.paths.push({
      path: '/ingress/foo-v2',
      pathType: 'Exact',
      backend: { service: { name: 'httpbin-4', port: { number: 9090 } } },
    });
    spec.rules.splice(1, 1);
    expect((await apply(cluster, ns, { ...base, spec })).code).toBe(0);
    const changed = await gatewayDefinition('ingress-with-multiple-hosts', (d) => d.proxy.virtual_hosts.length === 3);
    expect(changed.proxy.virtual_hosts).toEqual([
      { host: 'foo.example.com', path: '/ingress/foo' },
      { host: 'foo.example.com', path: '/ingress/foo-v2' },
      { path: '/ingress/baz' },
    ]);
    expect(changed.proxy.groups[0]!.endpoints.map((e) => e.name)).toEqual([
      'httpbin-1-8080',
      'httpbin-4-9090',
      'httpbin-3-8080',
    ]);
    const exact = changed.flows[1]!;
    expect(exact['path-operator']).toEqual({ path: '/', operator: 'EQUALS' });
    expect(exact.condition).toContain("#request.pathInfo == ''");

    expect((await kubectl(cluster, ['delete', 'ingress', 'ingress-with-multiple-hosts', '-n', ns])).code).toBe(0);
    await eventually(
      'the API and its ConfigMap gone',
      async () =>
        (await getJson(cluster, ns, 'apidefinition/ingress-with-multiple-hosts')) === undefined &&
        (await configMap('ingress-with-multiple-hosts')) === undefined,
      45_000,
    );
  });

  it('re-synchronises the Ingresses of a template that changes', async () => {
    const template = upstreamTemplate();
    const spec = structuredClone(template['spec']) as Record<string, unknown>;
    spec['plans'] = [{ name: 'Keys', description: 'Key plan', security: 'API_KEY', status: 'PUBLISHED' }];
    spec['flows'] = [
      {
        name: 'Tag responses',
        enabled: true,
        'path-operator': { path: '/', operator: 'STARTS_WITH' },
        pre: [],
        post: [
          {
            name: 'Header',
            policy: 'transform-headers',
            enabled: true,
            configuration: { addHeaders: [{ name: 'x-via', value: 'gravitee' }] },
          },
        ],
      },
    ];
    expect((await apply(cluster, ns, { ...template, spec })).code).toBe(0);
    const definition = await gatewayDefinition('ingress-with-api-template', (d) => d.plans[0]?.name === 'Keys');
    expect(definition.flows.map((f) => f.name)).toEqual([
      'httpbin.example.com/templated → httpbin-1-8080',
      'No route found',
      'Tag responses',
    ]);
  });

  it('refuses to delete a template an Ingress uses, and deletes it once none does', async () => {
    // Held by a finalizer as well, for a delete that would not go through the webhook.
    const finalizers = async () =>
      (
        await getJson<{ metadata: { finalizers?: string[] } }>(
          cluster,
          ns,
          'apidefinition/api-template-with-api-key-plan',
        )
      )?.metadata.finalizers ?? [];
    await eventually('the template held', async () =>
      (await finalizers()).includes('finalizers.gravitee.io/apidefinitiontemplate'),
    );
    const refused = await kubectl(cluster, ['delete', 'apidefinition', 'api-template-with-api-key-plan', '-n', ns]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`still used by Ingress ${ns}/ingress-with-api-template`);
    expect(await getJson(cluster, ns, 'apidefinition/api-template-with-api-key-plan')).toBeDefined();

    expect((await kubectl(cluster, ['delete', 'ingress', 'ingress-with-api-template', '-n', ns])).code).toBe(0);
    await eventually('the finalizer released', async () => (await finalizers()).length === 0);
    await eventually('the template released', async () => {
      const result = await kubectl(cluster, [
        'delete',
        'apidefinition',
        'api-template-with-api-key-plan',
        '-n',
        ns,
        '--timeout=20s',
      ]);
      return result.code === 0;
    });
    await eventually(
      'the template gone',
      async () => (await getJson(cluster, ns, 'apidefinition/api-template-with-api-key-plan')) === undefined,
    );
  });

  it('registers the TLS Secret of an Ingress in the PEM registry, follows its rotation and releases it', async () => {
    const key = `${ns}-ingress-with-tls`;
    const registered = await eventually('the Secret registered', async () => {
      const registry = await configMap('pem-registry');
      return registry?.data?.[key] ? registry : undefined;
    });
    expect(JSON.parse(registered.data![key]!)).toEqual([`${ns}/httpbin.example.com`]);
    const certificates = registered.metadata.annotations!['ingress.gravitee.io/certificates']!;
    expect(registered.metadata.annotations!['updateTimestamp']).toBeDefined();
    // The API is served too.
    expect((await gatewayDefinition('ingress-with-tls')).proxy.virtual_hosts).toEqual([
      { host: 'httpbin.example.com', path: '/secured' },
    ]);

    // Rotation: a new certificate and key in the same Secret.
    expect((await apply(cluster, ns, await tlsSecret('httpbin.example.com', 'httpbin.example.com'))).code).toBe(0);
    const rotated = await eventually('the registry told of the new certificate', async () => {
      const registry = await configMap('pem-registry');
      return registry?.metadata.annotations?.['ingress.gravitee.io/certificates'] !== certificates
        ? registry
        : undefined;
    });
    expect(JSON.parse(rotated.data![key]!)).toEqual([`${ns}/httpbin.example.com`]);
    expect(rotated.metadata.annotations!['updateTimestamp']).not.toBe(
      registered.metadata.annotations!['updateTimestamp'],
    );

    // Released: the Ingress goes, its key goes.
    expect((await kubectl(cluster, ['delete', 'ingress', 'ingress-with-tls', '-n', ns])).code).toBe(0);
    await eventually(
      'the Secret unregistered',
      async () => (await configMap('pem-registry'))?.data?.[key] === undefined,
    );
  });

  it('refuses a Secret whose key does not match its certificate, with an Event saying so', async () => {
    expect((await apply(cluster, ns, await tlsSecret('mismatched', 'bad.example.com', true))).code).toBe(0);
    const bad = ingress(
      'bad-tls',
      [rule('bad.example.com', [['/bad', 'httpbin-1']])],
      {},
      {
        tls: [{ hosts: ['bad.example.com'], secretName: 'mismatched' }],
      },
    );
    expect((await apply(cluster, ns, bad)).code).toBe(0);
    const event = await eventually('an Event on the Ingress', async () =>
      (await events(cluster, ns, 'bad-tls')).find((e) => e.reason === 'InvalidTLSSecret'),
    );
    expect(event.type).toBe('Warning');
    expect(event.note).toBe(
      `spec.tls: Secret ${ns}/mismatched: the private key in tls.key does not match the certificate in tls.crt`,
    );
    expect((await configMap('pem-registry'))!.data?.[`${ns}-bad-tls`]).toBeUndefined();

    // Fixed in place: registered.
    expect((await apply(cluster, ns, await tlsSecret('mismatched', 'bad.example.com'))).code).toBe(0);
    await eventually(
      'the fixed Secret registered',
      async () => !!(await configMap('pem-registry'))?.data?.[`${ns}-bad-tls`],
    );
  });

  it('writes the address of the gateway Service to the status of handled Ingresses', async () => {
    const status = await eventually('the address in the status', async () => {
      const found = await getJson<{ status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }>(
        cluster,
        ns,
        'ingress/ingress-without-api-template',
      );
      return found?.status?.loadBalancer?.ingress?.length ? found.status.loadBalancer.ingress : undefined;
    });
    expect(status).toEqual([{ ip: '192.0.2.10' }]);
  });

  it('handles an Ingress that names the class by spec.ingressClassName', async () => {
    const byName: Manifest = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'by-class-name' },
      spec: { ingressClassName: 'graviteeio', rules: [rule('named.example.com', [['/named', 'httpbin-1']])] },
    };
    expect((await apply(cluster, ns, byName)).code).toBe(0);
    const definition = await gatewayDefinition('by-class-name');
    expect(definition.proxy.virtual_hosts).toEqual([{ host: 'named.example.com', path: '/named' }]);
  });

  it('writes nothing at all for an Ingress of another class', async () => {
    const other = ingress(
      'nginx-owned',
      [rule('nginx.example.com', [['/nginx', 'httpbin-1']])],
      { 'kubernetes.io/ingress.class': 'nginx', 'gravitee.io/template': 'ingress-template' },
      { tls: [{ hosts: ['nginx.example.com'], secretName: 'mismatched' }] },
    );
    // Even the finalizer upstream's operator uses stays: it may be another operator's.
    other.metadata.finalizers = ['finalizers.gravitee.io/ingress'];
    expect((await apply(cluster, ns, other)).code).toBe(0);
    const before = (await getJson<{ metadata: { resourceVersion: string } }>(cluster, ns, 'ingress/nginx-owned'))!;
    // A handled Ingress applied after it, and synchronised: the controller has seen both.
    expect(
      (await apply(cluster, ns, ingress('barrier', [rule('barrier.example.com', [['/barrier', 'httpbin-1']])]))).code,
    ).toBe(0);
    await gatewayDefinition('barrier');
    expect(await getJson(cluster, ns, 'apidefinition/nginx-owned')).toBeUndefined();
    expect(await configMap('nginx-owned')).toBeUndefined();
    expect(await events(cluster, ns, 'nginx-owned')).toEqual([]);
    const after = (await getJson<{ metadata: { resourceVersion: string }; status?: unknown }>(
      cluster,
      ns,
      'ingress/nginx-owned',
    ))!;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await configMap('pem-registry'))!.data?.[`${ns}-nginx-owned`]).toBeUndefined();
    await kubectlOk(cluster, [
      'patch',
      'ingress',
      'nginx-owned',
      '-n',
      ns,
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
  });
});
