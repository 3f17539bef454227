import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, CONTROLLED_KINDS, loadOperatorConfig } from './config.ts';

describe('the operator settings', () => {
  it('runs the controllers alone by default, with upstream defaults', () => {
    const config = loadOperatorConfig([], {});
    expect(config).toMatchObject({
      controllers: true,
      webhook: false,
      namespaces: [],
      maxConcurrentReconciles: 4,
      metricsPort: 8080,
      probesPort: 8081,
      templating: true,
      driftPeriodMs: 600_000,
      resyncPeriodMs: 600_000,
      apim: { timeoutMs: 5000, maxConcurrency: 8, insecureSkipVerify: false },
    });
    expect(config.leaderElection).toBeUndefined();
  });

  it('takes upstream variable names', () => {
    const config = loadOperatorConfig([], {
      NAMESPACE: 'team-a, team-b',
      ENABLE_WEBHOOK: 'true',
      ENABLE_LEADER_ELECTION: 'true',
      POD_NAME: 'operator-0',
      POD_NAMESPACE: 'gko',
      MAX_CONCURRENT_RECONCILES: '2',
      ENABLE_TEMPLATING: 'false',
      HTTP_CLIENT_TIMEOUT_SECONDS: '7',
      HTTP_CLIENT_PROXY_URL: 'http://proxy:3128',
    });
    expect(config).toMatchObject({
      controllers: true,
      webhook: true,
      namespaces: ['team-a', 'team-b'],
      maxConcurrentReconciles: 2,
      templating: false,
      apim: { timeoutMs: 7000, proxy: { url: 'http://proxy:3128' } },
      leaderElection: {
        namespace: 'gko',
        name: '24d975d3.gravitee.io',
        identity: 'operator-0',
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
      },
    });
  });

  it('lets flags choose what runs, whatever the environment says', () => {
    expect(loadOperatorConfig(['--webhook'], { ENABLE_CONTROLLERS: 'true' })).toMatchObject({
      controllers: false,
      webhook: true,
    });
    expect(loadOperatorConfig(['--webhook', '--controllers'], {})).toMatchObject({ controllers: true, webhook: true });
  });

  it('turns drift repair off with 0, or with upstream ENABLE_DRIFT_DETECTION=false', () => {
    expect(loadOperatorConfig([], { DRIFT_REPAIR_PERIOD_SECONDS: '0' }).driftPeriodMs).toBe(0);
    expect(loadOperatorConfig([], { ENABLE_DRIFT_DETECTION: 'false' }).driftPeriodMs).toBe(0);
    expect(loadOperatorConfig([], { ENABLE_DRIFT_DETECTION: 'true' }).driftPeriodMs).toBe(600_000);
  });

  it('applies the CRDs at start only when asked (APPLY_CRDS, as upstream)', () => {
    expect(loadOperatorConfig([], {}).applyCrds).toBe(false);
    expect(loadOperatorConfig([], { APPLY_CRDS: 'true' }).applyCrds).toBe(true);
  });

  it('gives the kinds named their own number of workers, and refuses a kind without a controller', () => {
    expect(loadOperatorConfig([], {}).concurrencyByKind).toEqual({});
    const config = loadOperatorConfig([], {
      MAX_CONCURRENT_RECONCILES_PER_KIND: 'ApiV4Definition=16, Subscription = 8',
    });
    expect(config.concurrencyByKind).toEqual({ ApiV4Definition: 16, Subscription: 8 });
    expect(() => loadOperatorConfig([], { MAX_CONCURRENT_RECONCILES_PER_KIND: 'Secret=4' })).toThrow(
      'MAX_CONCURRENT_RECONCILES_PER_KIND: Secret is not a kind with a controller',
    );
    expect(() => loadOperatorConfig([], { MAX_CONCURRENT_RECONCILES_PER_KIND: 'Subscription' })).toThrow(
      'MAX_CONCURRENT_RECONCILES_PER_KIND: give Subscription one number of workers (Subscription=N), not Subscription',
    );
    expect(() => loadOperatorConfig([], { MAX_CONCURRENT_RECONCILES_PER_KIND: 'Subscription=1=2' })).toThrow(
      'not Subscription=1=2',
    );
    expect(() =>
      loadOperatorConfig([], { MAX_CONCURRENT_RECONCILES_PER_KIND: 'Subscription=2,Subscription=3' }),
    ).toThrow('MAX_CONCURRENT_RECONCILES_PER_KIND: Subscription is given twice');
    expect(() => loadOperatorConfig([], { MAX_CONCURRENT_RECONCILES_PER_KIND: 'Subscription=0x10' })).toThrow(
      'must be a whole number from 1 to 256, not 0x10',
    );
    expect(() => loadOperatorConfig([], { MAX_CONCURRENT_RECONCILES_PER_KIND: 'Subscription=0' })).toThrow(
      'MAX_CONCURRENT_RECONCILES_PER_KIND for Subscription must be a whole number from 1 to 256, not 0',
    );
  });

  it('accepts in the chart the kinds the program accepts', () => {
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', '..', 'charts', 'gko', 'values.schema.json'), 'utf8'),
    ) as { properties: { manager: { properties: Record<string, { propertyNames?: { enum: string[] } }> } } };
    const perKind = schema.properties.manager.properties['maxConcurrentReconcilesPerKind'];
    expect(perKind?.propertyNames?.enum.sort()).toEqual([...CONTROLLED_KINDS].sort());
  });

  it('names the setting at fault', () => {
    expect(() => loadOperatorConfig(['--both'], {})).toThrow('unknown argument --both');
    expect(() => loadOperatorConfig([], { MAX_CONCURRENT_RECONCILES: 'many' })).toThrow(
      'MAX_CONCURRENT_RECONCILES must be a whole number from 1 to 256, not many',
    );
    expect(() => loadOperatorConfig([], { ENABLE_LEADER_ELECTION: 'yes' })).toThrow(ConfigError);
    expect(() => loadOperatorConfig([], { ENABLE_CONTROLLERS: 'false' })).toThrow('nothing to run');
    expect(() =>
      loadOperatorConfig([], {
        LEADER_ELECTION_LEASE_DURATION_SECONDS: '5',
        LEADER_ELECTION_RENEW_DEADLINE_SECONDS: '6',
      }),
    ).toThrow('LEADER_ELECTION_RETRY_PERIOD_SECONDS');
  });
});
