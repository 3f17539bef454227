// Building blocks for tests that talk to the simulator through the real client.
import {
  ApimError,
  createApimClient,
  type ApimClient,
  type ApimTarget,
  type Automation,
  type ClientOptions,
} from '@gko/mapi';

export function targetFor(url: string, over: Partial<ApimTarget> = {}): ApimTarget {
  return {
    context: 'test/apim',
    baseUrl: url,
    organizationId: 'DEFAULT',
    environmentId: 'DEFAULT',
    credentials: { kind: 'basic', username: 'admin', password: 'admin' },
    ...over,
  };
}

/** A client that does not wait between retries, so that tests stay fast. */
export function clientFor(url: string, over: Partial<ApimTarget> = {}, options: ClientOptions = {}): ApimClient {
  return createApimClient(targetFor(url, over), { sleep: () => Promise.resolve(), timeoutMs: 2000, ...options });
}

export function apiBody(hrid: string, path: string, extra: Partial<Automation.ApiV4Spec> = {}): Automation.ApiV4Spec {
  return {
    hrid,
    name: hrid,
    version: '1.0',
    type: 'PROXY',
    lifecycleState: 'UNPUBLISHED',
    listeners: [{ type: 'HTTP', paths: [{ path }], entrypoints: [{ type: 'http-proxy' }] }],
    endpointGroups: [{ name: 'default', type: 'http-proxy', endpoints: [{ name: 'one', type: 'http-proxy' }] }],
    plans: [
      {
        hrid: 'keys',
        name: 'Keys',
        status: 'PUBLISHED',
        type: 'API',
        mode: 'STANDARD',
        validation: 'AUTO',
        security: { type: 'API_KEY' },
      },
    ],
    ...extra,
  };
}

/** The ApimError a call fails with; fails the test when the call succeeds or fails otherwise. */
export async function failure(promise: Promise<unknown>): Promise<ApimError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApimError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}
