import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('the webhook configuration', () => {
  it('has production defaults', () => {
    expect(loadConfig({})).toMatchObject({
      host: '0.0.0.0',
      port: 9443,
      metricsPort: 8080,
      namespaces: [],
      contextPathScope: 'namespace',
      timeoutSeconds: 10,
      apimTimeoutSeconds: 5,
      insecureSkipVerify: false,
    });
  });

  it('reads the upstream operator settings', () => {
    const config = loadConfig({
      NAMESPACE: 'team-a, team-b',
      CHECK_API_CONTEXT_PATH_CONFLICT_IN_CLUSTER: 'true',
      HTTP_CLIENT_PROXY_URL: 'http://proxy:3128',
      HTTP_CLIENT_PROXY_USERNAME: 'u',
    });
    expect(config).toMatchObject({
      namespaces: ['team-a', 'team-b'],
      contextPathScope: 'cluster',
      proxy: { url: 'http://proxy:3128', username: 'u' },
    });
  });

  it('keeps APIM calls shorter than the admission deadline', () => {
    expect(loadConfig({ WEBHOOK_TIMEOUT_SECONDS: '5', HTTP_CLIENT_TIMEOUT_SECONDS: '30' }).apimTimeoutSeconds).toBe(2);
  });

  it('refuses settings it cannot use, naming them', () => {
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_SECONDS: '90' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_SECONDS: '90' })).toThrow(
      /WEBHOOK_TIMEOUT_SECONDS must be a whole number from 2 to 30/,
    );
    expect(() => loadConfig({ CONTEXT_PATH_SCOPE: 'galaxy' })).toThrow(/CONTEXT_PATH_SCOPE/);
  });
});
