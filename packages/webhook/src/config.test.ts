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

  it('issues its own certificates with the upstream settings, and says which one is missing', () => {
    const env = {
      WEBHOOK_CERT_SECRET_NAME: 'gko-webhook-cert',
      WEBHOOK_NAMESPACE: 'gko-system',
      WEBHOOK_SERVICE_NAME: 'gko-webhook',
      WEBHOOK_VALIDATING_CONFIGURATION_NAME: 'gko-validating',
      WEBHOOK_MUTATING_CONFIGURATION_NAME: 'gko-mutating',
    };
    expect(loadConfig({}).selfManagedCertificate).toBeUndefined();
    expect(loadConfig(env).selfManagedCertificate).toEqual({
      namespace: 'gko-system',
      secretName: 'gko-webhook-cert',
      serviceName: 'gko-webhook',
      validatingConfigurationName: 'gko-validating',
      mutatingConfigurationName: 'gko-mutating',
      servingValidityMs: 365 * 24 * 3600 * 1000,
    });
    expect(loadConfig({ ...env, WEBHOOK_CERT_VALIDITY_SECONDS: '120' }).selfManagedCertificate?.servingValidityMs).toBe(
      120_000,
    );
    expect(() => loadConfig({ ...env, WEBHOOK_SERVICE_NAME: '' })).toThrow(
      'WEBHOOK_SERVICE_NAME must be set when WEBHOOK_CERT_SECRET_NAME is',
    );
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
