// The connect phase of native flows is named as the APIM version names it: the client reads the name
// from the Automation API's own document, and the request keeps the phase's steps where that version
// reads them (it drops a name it does not know).
import { afterEach, describe, expect, it } from 'vitest';
import { apiV4Request, NO_REFERENCES } from '@gko/mapi';
import { startSimulator, type Simulator } from './server.ts';

type ApiV4Definition = Parameters<typeof apiV4Request>[1];
import { clientFor } from './test-support.ts';

const native: ApiV4Definition = {
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiV4Definition',
  metadata: { namespace: 'team-a', name: 'kafka' },
  spec: {
    name: 'kafka',
    version: '1.0',
    type: 'NATIVE',
    state: 'STOPPED',
    listeners: [{ type: 'KAFKA', host: 'kafka.example', port: 9092, entrypoints: [{ type: 'native-kafka' }] }],
    endpointGroups: [
      {
        name: 'brokers',
        type: 'native-kafka',
        endpoints: [{ name: 'b', type: 'native-kafka', inheritConfiguration: false }],
      },
    ],
    flows: [{ name: 'connecting', connect: [{ name: 'acl', policy: 'kafka-acl', enabled: true }] }],
  },
};

let simulator: Simulator | undefined;
afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

describe('the connect phase of native flows', () => {
  it.each([
    ['4.10.5', 'connect', 'entrypointConnect'],
    ['4.11.0', 'entrypointConnect', 'connect'],
    ['4.12.3', 'entrypointConnect', 'connect'],
  ])('is named as APIM %s names it, and kept there', async (apimVersion, known, dropped) => {
    simulator = await startSimulator({ apimVersion });
    const client = clientFor(simulator.url);
    expect(await client.connectPhase()).toBe(known);
    const body = await apiV4Request(client, native, NO_REFERENCES);
    expect(body.flows?.[0]).toHaveProperty(known);
    expect(body.flows?.[0]).not.toHaveProperty(dropped);
    await client.apis.put(body);
    const stored = simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get('team-a-kafka')!;
    expect((stored.flows?.[0] as Record<string, unknown>)[known]).toEqual([
      { name: 'acl', policy: 'kafka-acl', enabled: true },
    ]);
    // The document is read once per client.
    await client.connectPhase();
    expect(simulator.countRequests({ pathPrefix: '/automation/open-api.yaml' })).toBe(1);
    await client.close();
  });

  it('is lost on a 4.10 APIM when named the newer way', async () => {
    simulator = await startSimulator({ apimVersion: '4.10.5' });
    const client = clientFor(simulator.url);
    const body = await apiV4Request(client, native, NO_REFERENCES);
    await client.apis.put({
      ...body,
      flows: [{ enabled: true, entrypointConnect: [{ policy: 'kafka-acl', enabled: true }] }],
    });
    const stored = simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get('team-a-kafka')!;
    expect(stored.flows).toEqual([{ enabled: true }]);
    await client.close();
  });
});
