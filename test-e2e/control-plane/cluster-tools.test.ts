import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helmEnv, requiredVersion } from './cluster-tools.ts';

describe('the cluster tools', () => {
  it('are named by the version their go.mod requires of the upstream module', () => {
    const goMod = `module gko.local/clustertools/helm-unittest

go 1.26.0

require (
	github.com/helm-unittest/helm-unittest v1.1.2
	github.com/helm-unittest/helm-unittest-extra v9.9.9
)

require github.com/spf13/cobra v1.10.2 // indirect

replace github.com/vmware-labs/yaml-jsonpath => github.com/helm-unittest/yaml-jsonpath v0.4.0
`;
    expect(requiredVersion(goMod, 'github.com/helm-unittest/helm-unittest')).toBe('v1.1.2');
    expect(requiredVersion(goMod, 'github.com/spf13/cobra')).toBe('v1.10.2');
    expect(() => requiredVersion(goMod, 'github.com/vmware-labs/yaml-jsonpath')).toThrow(/does not require/);
    expect(() => requiredVersion(goMod, 'github.com/helm-unittest')).toThrow(/does not require/);
  });

  it('give helm a data home with the plugins and its own config and cache, never HELM_PLUGINS', () => {
    const env = helmEnv({ helmDataHome: '/cache/helm-data' }, '/run/helm');
    expect(env).toEqual({
      HELM_DATA_HOME: '/cache/helm-data',
      HELM_CONFIG_HOME: join('/run/helm', 'config'),
      HELM_CACHE_HOME: join('/run/helm', 'cache'),
    });
  });
});
