import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { MemoryLookups } from '../../lookups/memory-lookups.ts';
import { NS, context, create, object, remove, secret, update, v4Api, where } from '../../test-support.ts';
import { apiV4Definition } from './index.ts';

const validate = (input: Parameters<typeof apiV4Definition.validate>[0], lookups = new MemoryLookups()) =>
  apiV4Definition.validate(input, lookups);

describe('ApiV4Definition admission, without APIM', () => {
  it('accepts a well-formed API, and warns that without a context it is deployed nowhere', async () => {
    expect(await validate(create(v4Api('orders')))).toEqual([
      {
        severity: 'warning',
        path: 'spec.definitionContext.syncFrom',
        message:
          'without contextRef and with syncFrom MANAGEMENT the API is deployed nowhere: set syncFrom to KUBERNETES, or set contextRef',
      },
    ]);
    expect(await validate(create(v4Api('orders', { definitionContext: { syncFrom: 'KUBERNETES' } })))).toEqual([]);
  });

  it('reports every phase and feature the API type does not have, each at its field', async () => {
    const native = v4Api('kafka', {
      type: 'NATIVE',
      definitionContext: { syncFrom: 'KUBERNETES' },
      flows: [{ request: [{ policy: 'p' }], connect: [{ policy: 'c' }] }],
      plans: { free: { name: 'Free', security: { type: 'KEY_LESS' }, flows: [{ response: [{ policy: 'p' }] }] } },
      endpointGroups: [
        { name: 'g', type: 'native-kafka', services: { healthCheck: { enabled: true, overrideConfiguration: false } } },
      ],
      flowExecution: { mode: 'DEFAULT', matchRequired: false },
    });
    expect(where(await validate(create(native)))).toEqual([
      'error spec.endpointGroups[0].services',
      'error spec.flowExecution',
      'error spec.flows[0].request',
      'error spec.plans.free.flows[0].response',
    ]);
    const proxy = v4Api('p', {
      definitionContext: { syncFrom: 'KUBERNETES' },
      flows: [{ interact: [{ policy: 'x' }] }],
    });
    expect(where(await validate(create(proxy)))).toEqual(['error spec.flows[0].interact']);
  });

  it('needs a plan while started', async () => {
    const findings = await validate(create(v4Api('o', { plans: {}, definitionContext: { syncFrom: 'KUBERNETES' } })));
    expect(findings).toEqual([
      {
        severity: 'error',
        path: 'spec.plans',
        message: 'a started API needs at least one plan: add a plan, or set state to STOPPED',
      },
    ]);
    expect(
      await validate(
        create(v4Api('o', { plans: {}, state: 'STOPPED', definitionContext: { syncFrom: 'KUBERNETES' } })),
      ),
    ).toEqual([]);
  });

  it('refuses a context path another API deployed to the same place already uses', async () => {
    const local = { definitionContext: { syncFrom: 'KUBERNETES' } };
    const taken = v4Api('first', { ...local, listeners: [{ type: 'HTTP', paths: [{ path: '/shop/' }] }] });
    const lookups = new MemoryLookups({ objects: [taken] });
    const clash = v4Api('second', {
      ...local,
      listeners: [{ type: 'HTTP', paths: [{ path: '/other' }, { path: 'shop' }] }],
    });
    expect(await validate(create(clash), lookups)).toEqual([
      {
        severity: 'error',
        path: 'spec.listeners[0].paths[1].path',
        message: 'context path /shop/ is already used by ApiV4Definition team-a/first',
      },
    ]);
    // Another context means other gateways: no conflict.
    const elsewhere = v4Api('third', {
      contextRef: { name: 'apim' },
      listeners: [{ type: 'HTTP', paths: [{ path: '/shop' }] }],
    });
    expect(
      (await validate(create(elsewhere), lookups.put(context('apim', 'http://127.0.0.1:1')))).filter((f) =>
        f.path.startsWith('spec.listeners'),
      ),
    ).toEqual([]);
    // An update of the same API keeps its own paths.
    expect(where(await validate(update(taken, taken), lookups))).toEqual([]);
  });

  it('compares context paths across namespaces only when so configured', async () => {
    const local = { definitionContext: { syncFrom: 'KUBERNETES' } };
    const other = { ...v4Api('x', { ...local, listeners: [{ type: 'HTTP', paths: [{ path: '/shared' }] }] }) };
    other.metadata = { ...other.metadata, namespace: 'team-b' };
    const mine = v4Api('y', { ...local, listeners: [{ type: 'HTTP', paths: [{ path: '/shared' }] }] });
    expect(await validate(create(mine), new MemoryLookups({ objects: [other] }))).toEqual([]);
    const cluster = new MemoryLookups({ objects: [other], settings: { contextPathScope: 'cluster' } });
    expect(where(await validate(create(mine), cluster))).toEqual(['error spec.listeners[0].paths[0].path']);
  });

  it('checks shared policy groups: existence, phase, API type, and no SPG in connect phases', async () => {
    const spg = (name: string, apiType: string, phase: string) =>
      object('SharedPolicyGroup', name, { contextRef: { name: 'apim' }, name, apiType, phase });
    const lookups = new MemoryLookups({
      objects: [spg('req', 'PROXY', 'REQUEST'), spg('resp', 'PROXY', 'RESPONSE'), spg('msg', 'MESSAGE', 'REQUEST')],
    });
    const api = v4Api('o', {
      definitionContext: { syncFrom: 'KUBERNETES' },
      flows: [
        {
          request: [
            { sharedPolicyGroupRef: { name: 'req' } },
            { sharedPolicyGroupRef: { name: 'resp' } },
            { sharedPolicyGroupRef: { name: 'msg' } },
            { sharedPolicyGroupRef: { name: 'gone' } },
          ],
        },
      ],
    });
    const findings = await validate(create(api), lookups);
    expect(findings.map((f) => `${f.path} ${f.message}`)).toEqual([
      'spec.flows[0].request[1].sharedPolicyGroupRef SharedPolicyGroup team-a/resp runs in the RESPONSE phase, not REQUEST',
      'spec.flows[0].request[2].sharedPolicyGroupRef SharedPolicyGroup team-a/msg is for MESSAGE APIs, and this API is PROXY',
      'spec.flows[0].request[3].sharedPolicyGroupRef SharedPolicyGroup team-a/gone does not exist',
    ]);
  });

  it('checks references to resources, pages, general conditions, notifications and groups', async () => {
    const lookups = new MemoryLookups({
      objects: [object('Notification', 'quiet', { target: 'console', eventType: 'api', console: {} })],
    });
    const api = v4Api('o', {
      definitionContext: { syncFrom: 'KUBERNETES' },
      resources: [{ ref: { name: 'cache' } }, { name: 'inline', type: 'cache' }],
      pages: { child: { name: 'Child', type: 'MARKDOWN', parent: 'folder' } },
      plans: { keys: { name: 'Keys', security: { type: 'API_KEY' }, generalConditions: 'terms' } },
      notificationsRefs: [{ name: 'quiet' }, { name: 'missing' }],
      groupRefs: [{ name: 'ops' }],
    });
    expect(where(await validate(create(api), lookups))).toEqual([
      'error spec.notificationsRefs[1]',
      'error spec.pages.child.parent',
      'error spec.plans.keys.generalConditions',
      'error spec.resources[0].ref',
      'error spec.resources[1].configuration',
      'warning spec.groupRefs[0]',
      'warning spec.notificationsRefs[0]',
    ]);
  });

  it('names both notifications when an API has two console notifications', async () => {
    const note = (name: string) =>
      object('Notification', name, { target: 'console', eventType: 'api', console: { apiEvents: ['API_STARTED'] } });
    const lookups = new MemoryLookups({ objects: [note('first'), note('second')] });
    const api = v4Api('o', {
      definitionContext: { syncFrom: 'KUBERNETES' },
      notificationsRefs: [{ name: 'first' }, { name: 'second' }],
    });
    expect((await validate(create(api), lookups)).map((f) => `${f.path} ${f.message}`)).toEqual([
      'spec.notificationsRefs[1] an API takes at most one console notification, and Notification team-a/second comes after Notification team-a/first',
    ]);
  });

  it('refuses templates whose sources are missing, at the field that uses them', async () => {
    const lookups = new MemoryLookups({ objects: [secret('keys', { present: 'x' })] });
    const api = v4Api('o', {
      definitionContext: { syncFrom: 'KUBERNETES' },
      description: '[[ secret `keys/absent` ]] [[ configmap `nope/k` ]]',
      version: '[[ secret `keys/present` ]]',
    });
    expect((await validate(create(api), lookups)).map((f) => f.message)).toEqual([
      'Secret team-a/keys, used in a template, has no value for key absent',
      'ConfigMap team-a/nope, used in a template, does not exist',
    ]);
  });

  it('keeps plans that subscriptions use, and refuses deletion while subscribed', async () => {
    const sub = object('Subscription', 'shop-orders', {
      api: { name: 'o' },
      application: { name: 'shop' },
      plan: 'keys',
    });
    const lookups = new MemoryLookups({ objects: [sub] });
    const before = v4Api('o', { definitionContext: { syncFrom: 'KUBERNETES' } });
    const after = v4Api('o', {
      definitionContext: { syncFrom: 'KUBERNETES' },
      plans: { gold: { name: 'Gold', security: { type: 'API_KEY' } } },
    });
    expect((await validate(update(before, after), lookups)).map((f) => f.message)).toEqual([
      'plan keys is used by Subscription team-a/shop-orders: keep it, or delete the subscription first',
    ]);
    expect((await validate(remove(before), lookups))[0]?.message).toBe(
      'still used by Subscription team-a/shop-orders; delete its subscriptions first (kubectl get subscriptions -A)',
    );
    expect(await validate(remove(before), new MemoryLookups())).toEqual([]);
  });
});

describe('ApiV4Definition admission, with APIM', () => {
  let simulator: Simulator;
  let lookups: MemoryLookups;
  beforeAll(async () => {
    simulator = await startSimulator({ organizations: { DEFAULT: { DEFAULT: { categories: ['shop'] } } } });
  });
  afterAll(async () => {
    await lookups.close();
    await simulator.stop();
  });
  const fresh = () =>
    (lookups = new MemoryLookups({
      objects: [context('apim', simulator.url)],
      clientOptions: { maxAttempts: 1, timeoutMs: 1000 },
    }));
  const withContext = (spec: Record<string, unknown> = {}) =>
    v4Api('orders', { contextRef: { name: 'apim' }, ...spec });

  it('dry-runs the import: APIM warnings become admission warnings, and nothing is stored', async () => {
    const findings = await validate(create(withContext({ categories: ['shop', 'toys'] })), fresh());
    expect(findings).toEqual([
      { severity: 'warning', path: 'spec', message: 'APIM: category [toys] is not defined in environment [DEFAULT]' },
    ]);
    expect(simulator.requests().at(-1)).toMatchObject({ method: 'PUT', query: { dryRun: 'true' }, status: 200 });
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.size).toBe(0);
  });

  it('denies what APIM would refuse', async () => {
    simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.set('other', {
      ...(v4Api('x').spec as object),
      hrid: 'other',
      listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }] }],
    } as never);
    const findings = await validate(create(withContext()), fresh());
    expect(findings).toEqual([
      { severity: 'error', path: 'spec', message: 'APIM refuses it: path [/orders/] already exists for API [other]' },
    ]);
    simulator.reset();
  });

  it('admits with a warning when APIM cannot answer, and denies when it refuses the credentials', async () => {
    simulator.setFaults({ failNext: 1, errorStatus: 503 });
    expect(await validate(create(withContext()), fresh())).toEqual([
      {
        severity: 'warning',
        path: 'spec',
        message: 'APIM could not check it (answered 503); it will be checked when synchronised',
      },
    ]);
    const bad = new MemoryLookups({ objects: [context('apim', simulator.url, { bearerToken: 'wrong-token' })] });
    expect(await validate(create(withContext()), bad)).toEqual([
      {
        severity: 'error',
        path: 'spec.contextRef',
        message: 'ManagementContext team-a/apim is refused by APIM (401): check its credentials',
      },
    ]);
    await bad.close();
  });

  it('reaches APIM with a context whose credentials are templated', async () => {
    const templated = new MemoryLookups({
      objects: [
        context('apim', simulator.url, {
          credentials: { username: 'admin', password: '[[ secret `apim-login/password` ]]' },
        }),
        secret('apim-login', { password: 'admin' }),
      ],
    });
    expect(await validate(create(withContext()), templated)).toEqual([]);
    expect(simulator.requests().at(-1)).toMatchObject({ method: 'PUT', status: 200 });
    await templated.close();
  });

  it('denies an API whose context cannot be used, saying why', async () => {
    const broken = new MemoryLookups({ objects: [context('apim', simulator.url, { secretRef: { name: 'creds' } })] });
    expect(await validate(create(withContext()), broken)).toEqual([
      {
        severity: 'error',
        path: 'spec.contextRef',
        message:
          'ManagementContext team-a/apim cannot be used: spec.auth.secretRef: Secret team-a/creds does not exist',
        missing: { kind: 'Secret', namespace: 'team-a', name: 'creds' },
      },
    ]);
    expect(await validate(create(v4Api('o', { contextRef: { name: 'nope' } })), broken)).toContainEqual({
      severity: 'error',
      path: 'spec.contextRef',
      message: `ManagementContext ${NS}/nope does not exist`,
      missing: { kind: 'ManagementContext', namespace: NS, name: 'nope' },
    });
  });
});

describe('ApiV4Definition admission: what it names in APIM', () => {
  const apim = context('apim', 'http://127.0.0.1:1');
  const managed = [{ type: 'AutomationAPIManaged', status: 'True' }];
  const payments = {
    ...v4Api('payments', { contextRef: { name: 'apim', namespace: NS } }),
    metadata: { name: 'payments', namespace: 'team-b', creationTimestamp: '2026-01-01T00:00:00Z' },
    status: { id: 'b-id', crossId: 'b-cross', conditions: managed },
  };
  const lookups = () => new MemoryLookups({ objects: [apim, payments] });
  const evil = (spec: Record<string, unknown>) => ({
    ...v4Api('x', { contextRef: { name: 'apim', namespace: NS }, ...spec }),
    metadata: { name: 'x', namespace: 'evil' },
  });

  it('refuses a spec.hrid other than its namespace and name, with the value it must have', async () => {
    const findings = await validate(create(evil({ hrid: 'team-b-payments' })), lookups());
    expect(findings).toEqual([
      {
        severity: 'error',
        path: 'spec.hrid',
        message:
          'must be evil-x or be left out: objects are known to APIM by their namespace and name, so that no namespace can name what another one manages',
      },
    ]);
  });

  it("refuses an id or crossId another namespace's API holds in the same APIM, naming it", async () => {
    expect(where(await validate(create(evil({ id: 'b-id', crossId: 'b-cross' })), lookups()))).toEqual([
      'error spec.crossId',
      'error spec.id',
    ]);
    const [finding] = await validate(create(evil({ id: 'b-id' })), lookups());
    expect(finding?.message).toContain('ApiV4Definition team-b/payments manages (its status.id)');
  });
});
