// Application, SharedPolicyGroup, Group, Dictionary and Subscription through their whole life, each
// as a user sees it with kubectl and as APIM sees it in the simulator: created (after APIM failed for
// a while) and Ready, updated with exactly one write, re-applied with no call, deleted from APIM with
// the finalizer released. Then what each kind means for the APIs that use it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EnvironmentState, Simulator } from '@gko/apim-simulator';
import { apply, kubectl, kubectlOk, waitReady, type RunningOperator } from '../../src/index.ts';
import { condition, controllerWorld, eventually, getJson, manifest, v4Api, type Manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let operator: RunningOperator;
let ns = '';

const env = (): EnvironmentState => simulator.state.environment('DEFAULT', 'DEFAULT')!;
/** Writes to a collection (and its members) of the Automation API, such as /groups or /apis/x/subscriptions. */
const writesTo = (collection: string) =>
  simulator
    .requests()
    .filter((r) => r.method !== 'GET' && new RegExp(`/environments/DEFAULT${collection}(/[^/]+)?$`).test(r.path));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface KindCase {
  kind: string;
  name: string;
  /** The Automation API collection, as it appears in request paths. */
  path: () => string;
  finalizer: string;
  create: () => Manifest;
  update: () => Manifest;
  stored: () => Record<string, unknown> | undefined;
  created: Record<string, unknown>;
  updated: Record<string, unknown>;
  /** What the status says after the update, besides the ids. */
  statusAfterUpdate?: Record<string, unknown>;
}

const CASES: KindCase[] = [
  {
    kind: 'Application',
    name: 'shop',
    path: () => '/applications',
    finalizer: 'finalizers.gravitee.io/applicationdeletion',
    create: () =>
      manifest('Application', 'shop', {
        contextRef: { name: 'apim' },
        name: 'Shop',
        description: 'The shop',
        settings: { oauth: { applicationType: 'BACKEND_TO_BACKEND', grantTypes: ['client_credentials'] } },
        metadata: [{ name: 'owner', value: 'storefront' }],
      }),
    update: () =>
      manifest('Application', 'shop', {
        contextRef: { name: 'apim' },
        name: 'Shop',
        description: 'The web shop',
        settings: { oauth: { applicationType: 'BACKEND_TO_BACKEND', grantTypes: ['client_credentials'] } },
        metadata: [{ name: 'owner', value: 'storefront' }],
      }),
    stored: () => env().applications.get(`${ns}-shop`),
    created: {
      name: 'Shop',
      description: 'The shop',
      settings: { oauth: { applicationType: 'backend_to_backend', grantTypes: ['client_credentials'] } },
      metadata: [{ name: 'owner', format: 'STRING', value: 'storefront' }],
    },
    updated: { description: 'The web shop' },
  },
  {
    kind: 'SharedPolicyGroup',
    name: 'headers',
    path: () => '/shared-policy-groups',
    finalizer: 'finalizers.gravitee.io/sharedpolicygroups',
    create: () => sharedPolicyGroup('X-Team', 'a'),
    update: () => sharedPolicyGroup('X-Team', 'b'),
    stored: () => env().sharedPolicyGroups.get(`${ns}-headers`),
    created: {
      name: 'Common headers',
      apiType: 'PROXY',
      phase: 'REQUEST',
      steps: [{ policy: 'transform-headers', enabled: true }],
    },
    updated: { steps: [{ configuration: { addHeaders: [{ name: 'X-Team', value: 'b' }] } }] },
  },
  {
    kind: 'Group',
    name: 'ops',
    path: () => '/groups',
    finalizer: 'finalizers.gravitee.io/groups',
    create: () => group(['gravitee:alice']),
    update: () => group(['gravitee:alice', 'gravitee:bob']),
    stored: () => env().groups.get(`${ns}-ops`),
    created: { name: 'ops', members: [{ source: 'gravitee', sourceId: 'alice', roles: { API: 'OWNER' } }] },
    updated: { memberCount: 2 },
    statusAfterUpdate: { members: 2 },
  },
  {
    kind: 'Dictionary',
    name: 'countries',
    path: () => '/dictionaries',
    finalizer: 'finalizers.gravitee.io/dictionaries',
    create: () => dictionary(true, { fr: 'France' }),
    update: () => dictionary(false, { fr: 'France', it: 'Italy' }),
    stored: () => env().dictionaries.get(`${ns}-countries`),
    created: { name: 'Countries', type: 'MANUAL', deployed: true, manual: { properties: { fr: 'France' } } },
    updated: { deployed: false, manual: { properties: { fr: 'France', it: 'Italy' } } },
  },
  {
    kind: 'Subscription',
    name: 'buyer-keys',
    path: () => `/apis/${ns}-catalog/subscriptions`,
    finalizer: 'finalizers.gravitee.io/subscriptions',
    create: () => subscription({ team: 'a' }),
    update: () => subscription({ team: 'b' }),
    stored: () => env().subscriptions.get(`${ns}-catalog`)?.get(`${ns}-buyer-keys`),
    // A getter: the namespace is only known once the suite runs.
    get created() {
      return { applicationHrid: `${ns}-buyer`, planHrid: 'keys', metadata: { team: 'a' } };
    },
    updated: { metadata: { team: 'b' } },
  },
];

function sharedPolicyGroup(header: string, value: string): Manifest {
  return manifest('SharedPolicyGroup', 'headers', {
    contextRef: { name: 'apim' },
    name: 'Common headers',
    apiType: 'PROXY',
    phase: 'REQUEST',
    steps: [
      {
        name: 'headers',
        policy: 'transform-headers',
        enabled: true,
        configuration: { addHeaders: [{ name: header, value }] },
      },
    ],
  });
}

function group(users: string[]): Manifest {
  return manifest('Group', 'ops', {
    contextRef: { name: 'apim' },
    name: 'ops',
    members: users.map((user) => {
      const [source, sourceId] = user.split(':');
      return { source, sourceId, roles: { API: 'OWNER' } };
    }),
  });
}

function dictionary(deployed: boolean, properties: Record<string, string>): Manifest {
  return manifest('Dictionary', 'countries', {
    contextRef: { name: 'apim' },
    name: 'Countries',
    type: 'MANUAL',
    deployed,
    manual: { properties },
  });
}

function subscription(metadata: Record<string, string>): Manifest {
  return manifest('Subscription', 'buyer-keys', {
    api: { name: 'catalog' },
    application: { name: 'buyer' },
    plan: 'keys',
    metadata,
  });
}

const keyPlans = {
  plans: {
    free: { name: 'Free', security: { type: 'KEY_LESS' } },
    keys: { name: 'Keys', security: { type: 'API_KEY' } },
  },
};
const buyer = manifest('Application', 'buyer', {
  contextRef: { name: 'apim' },
  name: 'Buyer',
  description: 'Buys things',
  settings: { app: { type: 'web' } },
});

beforeAll(async () => {
  ({ simulator, operator, ns } = await controllerWorld(cluster, 'controller-kinds', {
    simulator: { organizations: { DEFAULT: { DEFAULT: { users: ['gravitee:alice', 'gravitee:bob'] } } } },
  }));
  // What the subscription case subscribes with.
  expect((await apply(cluster, ns, [v4Api('catalog', keyPlans), buyer])).code).toBe(0);
  expect((await waitReady(cluster, ns, 'apiv4definition/catalog')).code).toBe(0);
  expect((await waitReady(cluster, ns, 'application/buyer')).code).toBe(0);
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe.each(CASES)('a $kind', (kase) => {
  const resource = `${kase.kind.toLowerCase()}/${kase.name}`;

  it('is created once APIM answers again, with the expected body, and becomes Ready', async () => {
    simulator.setFaults({ errorRate: 1, errorStatus: 503, pathContains: kase.path() });
    expect((await apply(cluster, ns, kase.create())).code).toBe(0);
    const failing = await eventually('Ready=False while APIM fails', async () => {
      const ready = await condition(cluster, ns, resource);
      return ready?.status === 'False' ? ready : undefined;
    });
    expect(failing.reason).toBe('ApimUnavailable');
    expect(failing.message).toContain('503');
    expect(kase.stored()).toBeUndefined();

    simulator.clearFaults();
    const wait = await waitReady(cluster, ns, resource);
    expect(wait.stderr).toBe('');
    expect(wait.code).toBe(0);
    expect(kase.stored()).toMatchObject(kase.created);
    const object = await getJson<{ metadata: { finalizers: string[] }; status: Record<string, unknown> }>(
      cluster,
      ns,
      resource,
    );
    expect(object!.metadata.finalizers).toContain(kase.finalizer);
    expect(object!.status['id']).toBe(kase.stored()!['id']);
  });

  it('is updated with exactly one APIM write; the same manifest again makes no call', async () => {
    simulator.clearRequests();
    expect((await apply(cluster, ns, kase.update())).code).toBe(0);
    await eventually('the update in APIM', () => {
      try {
        expect(kase.stored()).toMatchObject(kase.updated);
        return true;
      } catch {
        return false;
      }
    });
    expect((await waitReady(cluster, ns, resource)).code).toBe(0);
    if (kase.statusAfterUpdate)
      expect((await getJson<{ status: object }>(cluster, ns, resource))!.status).toMatchObject(kase.statusAfterUpdate);
    await pause(1500);
    expect(writesTo(kase.path())).toHaveLength(1);
    expect(simulator.requests()).toHaveLength(1);

    simulator.clearRequests();
    expect((await apply(cluster, ns, kase.update())).code).toBe(0);
    await pause(2000);
    expect(simulator.requests()).toEqual([]);
  });

  it('is deleted from APIM, and its finalizer released', async () => {
    simulator.clearRequests();
    expect((await kubectl(cluster, ['delete', '-n', ns, resource, '--wait=true', '--timeout=30s'])).code).toBe(0);
    expect(kase.stored()).toBeUndefined();
    expect(writesTo(kase.path()).map((r) => r.method)).toEqual(['DELETE']);
    expect(await getJson(cluster, ns, resource)).toBeUndefined();
  });
});

describe('what the kinds mean for the APIs using them', () => {
  it('a SharedPolicyGroup becomes the shared-policy-group step of its APIs, and its change re-synchronises them', async () => {
    expect((await apply(cluster, ns, sharedPolicyGroup('X-Team', 'a'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'sharedpolicygroup/headers')).code).toBe(0);
    const uses = {
      flows: [
        {
          name: 'common',
          enabled: true,
          selectors: [{ type: 'HTTP', path: '/', pathOperator: 'STARTS_WITH' }],
          request: [{ sharedPolicyGroupRef: { name: 'headers' } }],
        },
      ],
    };
    expect((await apply(cluster, ns, [v4Api('uses-spg', uses), v4Api('no-spg')])).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/uses-spg')).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/no-spg')).code).toBe(0);
    const spg = env().sharedPolicyGroups.get(`${ns}-headers`)!;
    expect(env().apis.get(`${ns}-uses-spg`)!.flows![0]!.request).toEqual([
      expect.objectContaining({
        policy: 'shared-policy-group-policy',
        name: 'Common headers',
        configuration: { sharedPolicyGroupId: spg.crossId, hrid: `${ns}-headers` },
      }),
    ]);

    simulator.clearRequests();
    expect((await apply(cluster, ns, sharedPolicyGroup('X-Team', 'c'))).code).toBe(0);
    await eventually('the API synchronised again', () => writesTo('/apis').length === 1);
    await pause(1500);
    expect(writesTo('/apis').map((r) => (r.body as { hrid: string }).hrid)).toEqual([`${ns}-uses-spg`]);

    // Still used: the delete waits, and nothing is removed from APIM.
    expect((await kubectl(cluster, ['delete', '-n', ns, 'sharedpolicygroup/headers', '--wait=false'])).code).toBe(0);
    await eventually('a DeleteBlocked event', async () => {
      const list = JSON.parse(await kubectlOk(cluster, ['get', 'events.events.k8s.io', '-n', ns, '-o', 'json'])) as {
        items: { regarding?: { name?: string }; reason: string; note: string }[];
      };
      return list.items.find((e) => e.regarding?.name === 'headers' && e.reason === 'DeleteBlocked');
    });
    expect(env().sharedPolicyGroups.has(`${ns}-headers`)).toBe(true);
    expect((await kubectl(cluster, ['delete', '-n', ns, 'apiv4definition/uses-spg', '--wait=true'])).code).toBe(0);
    await eventually(
      'the shared policy group gone',
      async () => !(await getJson(cluster, ns, 'sharedpolicygroup/headers')),
    );
    expect(env().sharedPolicyGroups.has(`${ns}-headers`)).toBe(false);
  });

  it('a Group change re-synchronises the APIs naming it; a Notification reports its missing groups', async () => {
    const notification = manifest('Notification', 'on-stop', {
      target: 'console',
      eventType: 'api',
      console: { apiEvents: ['API_STOPPED'], groupRefs: [{ name: 'ops' }] },
    });
    expect((await apply(cluster, ns, notification)).code).toBe(0);
    const missing = await eventually('ResolvedRefs=False', async () => {
      const refs = await condition(cluster, ns, 'notification/on-stop', 'ResolvedRefs');
      return refs?.status === 'False' ? refs : undefined;
    });
    expect(missing.reason).toBe('GroupNotFound');
    expect(missing.message).toContain(`Group ${ns}/ops does not exist`);

    expect((await apply(cluster, ns, group(['gravitee:alice']))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'group/ops')).code).toBe(0);
    await eventually(
      'ResolvedRefs=True',
      async () => (await condition(cluster, ns, 'notification/on-stop', 'ResolvedRefs'))?.status === 'True',
    );
    const api = v4Api('notified', { groupRefs: [{ name: 'ops' }], notificationsRefs: [{ name: 'on-stop' }] });
    expect((await apply(cluster, ns, api)).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/notified')).code).toBe(0);
    expect(env().apis.get(`${ns}-notified`)).toMatchObject({
      groups: ['ops'],
      consoleNotification: { events: ['API_STOPPED'], groups: ['ops'] },
    });

    simulator.clearRequests();
    expect((await apply(cluster, ns, group(['gravitee:alice', 'gravitee:bob']))).code).toBe(0);
    await eventually('the API synchronised again', () => writesTo('/apis').length === 1);
    await pause(1500);
    expect(writesTo('/apis').map((r) => (r.body as { hrid: string }).hrid)).toEqual([`${ns}-notified`]);

    // Applied together, the API may reach APIM before the group does (APIM then drops the group):
    // the API is sent again once the group is there.
    const late = manifest('Group', 'late', { contextRef: { name: 'apim' }, name: 'late', members: [] });
    expect((await apply(cluster, ns, [v4Api('with-late-group', { groupRefs: [{ name: 'late' }] }), late])).code).toBe(
      0,
    );
    await eventually('the API in APIM with its group', () =>
      env().apis.get(`${ns}-with-late-group`)?.groups?.includes('late'),
    );

    // A used notification waits for its APIs before it goes.
    expect((await kubectl(cluster, ['delete', '-n', ns, 'notification/on-stop', '--wait=false'])).code).toBe(0);
    await pause(1500);
    expect(await getJson(cluster, ns, 'notification/on-stop')).toBeDefined();
    expect((await kubectl(cluster, ['delete', '-n', ns, 'apiv4definition/notified', '--wait=true'])).code).toBe(0);
    await eventually('the notification gone', async () => !(await getJson(cluster, ns, 'notification/on-stop')));
  });
});
