import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { MemoryLookups } from '../../lookups/memory-lookups.ts';
import { context, create, object, remove, secret, v4Api } from '../../test-support.ts';
import { managementContext } from './index.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ tokens: ['good-token-1'] });
});
afterAll(() => simulator.stop());

const lookups = (...objects: Parameters<MemoryLookups['put']>[0][]) =>
  new MemoryLookups({ objects, clientOptions: { maxAttempts: 1, timeoutMs: 500 } });
const jwt = (claims: unknown) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('ManagementContext admission', () => {
  it('accepts a context whose credentials APIM accepts', async () => {
    expect(
      await managementContext.validate(
        create(context('apim', simulator.url, { bearerToken: 'good-token-1' })),
        lookups(),
      ),
    ).toEqual([]);
  });

  it('denies credentials APIM refuses, and an environment APIM does not have', async () => {
    expect(
      await managementContext.validate(
        create(context('apim', simulator.url, { bearerToken: 'bad-token-1' })),
        lookups(),
      ),
    ).toEqual([
      { severity: 'error', path: 'spec.auth', message: `APIM at ${simulator.url} refuses these credentials (401)` },
    ]);
    const wrongEnv = object('ManagementContext', 'apim', {
      baseUrl: simulator.url,
      organizationId: 'DEFAULT',
      environmentId: 'PROD',
      auth: { bearerToken: 'good-token-1' },
    });
    expect((await managementContext.validate(create(wrongEnv), lookups()))[0]?.path).toBe('spec.environmentId');
  });

  it('admits with a warning when APIM cannot be reached', async () => {
    const findings = await managementContext.validate(
      create(context('apim', 'http://127.0.0.1:9', { bearerToken: 't-123456' })),
      lookups(),
    );
    expect(findings).toEqual([
      {
        severity: 'warning',
        path: 'spec.baseUrl',
        message:
          'APIM cannot be reached at http://127.0.0.1:9 (network); the context is admitted, and used once APIM answers',
      },
    ]);
  });

  it('refuses a base URL that is not http(s), and a credentials Secret that does not hold credentials', async () => {
    expect(await managementContext.validate(create(context('apim', 'ftp://apim')), lookups())).toEqual([
      { severity: 'error', path: 'spec.baseUrl', message: 'must be an http:// or https:// URL' },
    ]);
    // A URL read from a Secret is checked as well, and its value does not show.
    const templated = context('apim', '[[ secret `apim-url/url` ]]');
    const hidden = await managementContext.validate(create(templated), lookups(secret('apim-url', { url: 'nope' })));
    expect(hidden).toEqual([
      { severity: 'error', path: 'spec.baseUrl', message: 'must be an http:// or https:// URL' },
    ]);
    const findings = await managementContext.validate(
      create(context('apim', simulator.url, { secretRef: { name: 'creds' } })),
      lookups(secret('creds', { user: 'x' })),
    );
    expect(findings).toEqual([
      {
        severity: 'error',
        path: 'spec.auth.secretRef',
        message: 'Secret team-a/creds has neither the key bearerToken nor the keys username and password',
      },
    ]);
  });

  it('uses templated credentials once resolved', async () => {
    const ctx = context('apim', simulator.url, { bearerToken: '[[ secret `tokens/apim` ]]' });
    expect(await managementContext.validate(create(ctx), lookups(secret('tokens', { apim: 'good-token-1' })))).toEqual(
      [],
    );
    expect((await managementContext.validate(create(ctx), lookups()))[0]?.message).toBe(
      'Secret team-a/tokens, used in a template, does not exist',
    );
  });

  it('cannot be deleted while objects use it, and says which', async () => {
    const users = [
      v4Api('orders', { contextRef: { name: 'apim' } }),
      object('Application', 'shop', {
        contextRef: { name: 'apim', namespace: 'team-a' },
        name: 's',
        description: 'd',
        settings: {},
      }),
    ];
    const findings = await managementContext.validate(remove(context('apim', simulator.url)), lookups(...users));
    expect(findings[0]?.message).toBe(
      'still used by ApiV4Definition team-a/orders, Application team-a/shop; delete them or point them to another context first (kubectl get apiv4definitions,applications -A)',
    );
  });

  it('fills in the URL, organization and environment of a Gravitee Cloud context from its token', () => {
    const cloud = object('ManagementContext', 'cloud', { cloud: { secretRef: { name: 'cloud' } } });
    const { object: mutated, findings } = managementContext.mutate!(
      create(cloud),
      lookups(secret('cloud', { cloudToken: jwt({ org: 'o-1', envs: ['e-1'], cpg: 'eu' }) })),
    );
    expect(findings).toEqual([]);
    expect(mutated?.spec).toEqual({
      cloud: { secretRef: { name: 'cloud' } },
      baseUrl: 'https://eu.cloudgate.gravitee.io',
      organizationId: 'o-1',
      environmentId: 'e-1',
    });
    const several = managementContext.mutate!(
      create(object('ManagementContext', 'c', { cloud: { token: jwt({ org: 'o', envs: ['a', 'b'], cpg: 'eu' }) } })),
      lookups(),
    );
    expect(several.findings[0]).toMatchObject({
      path: 'spec.cloud',
      message: expect.stringContaining('set environmentId to one of a, b') as unknown,
    });
    const missing = managementContext.mutate!(create(cloud), lookups());
    expect(missing.findings).toEqual([
      {
        severity: 'error',
        path: 'spec.cloud.secretRef',
        missing: { kind: 'Secret', namespace: 'team-a', name: 'cloud' },
        message: 'Secret team-a/cloud does not exist',
      },
    ]);
  });
});
