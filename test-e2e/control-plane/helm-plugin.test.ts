import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { offlinePlugin } from './helm-plugin.ts';

const released = `name: "unittest"
version: "1.1.2"
usage: "unittest for helm charts"
description: "A description long enough that a YAML writer with the default line width would fold it in two."
platformCommand:
  - os: linux
    arch: amd64
    command: "$HELM_PLUGIN_DIR/untt-linux-amd64"
  - os: darwin
    arch: arm64
    command: "$HELM_PLUGIN_DIR/untt-macos-arm64"
platformHooks:
  install:
    - command: "$HELM_PLUGIN_DIR/install-binary.sh"
`;

describe('the helm-unittest plugin, installed offline', () => {
  it('keeps the manifest but its install hooks, and names the binary for the platform', () => {
    const plugin = offlinePlugin(released, 'linux', 'amd64');
    expect(plugin.name).toBe('unittest');
    expect(plugin.binary).toBe('untt-linux-amd64');
    const manifest = parse(plugin.manifest) as Record<string, unknown>;
    expect(manifest).not.toHaveProperty('platformHooks');
    expect(manifest).toMatchObject({ name: 'unittest', version: '1.1.2' });
    expect(manifest['platformCommand']).toHaveLength(2);
    expect(plugin.manifest).toContain('would fold it in two."\n');
    expect(offlinePlugin(released, 'darwin', 'arm64').binary).toBe('untt-macos-arm64');
  });

  it('refuses a platform the plugin has no binary for, or a manifest without a name', () => {
    expect(() => offlinePlugin(released, 'linux', 's390x')).toThrow(/no binary .* for linux\/s390x/);
    expect(() => offlinePlugin('version: "1"\n', 'linux', 'amd64')).toThrow(/no name/);
  });
});
