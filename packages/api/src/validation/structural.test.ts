import { describe, expect, it } from 'vitest';
import { createValidator } from './validator.ts';

describe('schema errors', () => {
  it('quote the value at fault, as kube-apiserver does', () => {
    const result = createValidator().validate({
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'ApiV4Definition',
      metadata: { name: 'a' },
      spec: { name: 'a', version: 1, type: 'PROXIED', listeners: [{ type: 'HTTP' }], endpointGroups: [] },
    });
    expect(result.messages).toContain(
      'spec.type: Unsupported value: "PROXIED": supported values: "PROXY", "MESSAGE", "NATIVE", "LLM_PROXY", "MCP_PROXY", "A2A_PROXY"',
    );
    expect(result.messages).toContain('spec.version: Invalid value: 1: must be of type string');
  });

  it('never quote the value of a credential', () => {
    const result = createValidator().validate({
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'ManagementContext',
      metadata: { name: 'c' },
      spec: {
        baseUrl: 'http://apim',
        environmentId: 'DEFAULT',
        organizationId: 'DEFAULT',
        auth: { bearerToken: 987654321 },
      },
    });
    expect(result.messages).toEqual(['spec.auth.bearerToken: Invalid value: (value hidden): must be of type string']);
  });
});
