// helm-unittest's plugin.yaml, made installable without a network: Helm runs the `platformHooks`
// at install time, and the released ones download the plugin's binary, so they go; the binary is
// built from source instead, under the name `platformCommand` gives for the platform.
import { parseDocument } from 'yaml';

export interface OfflinePlugin {
  /** The plugin's name: the word after `helm`. */
  name: string;
  /** File name of the binary inside the plugin folder. */
  binary: string;
  /** plugin.yaml without its install hooks. */
  manifest: string;
}

interface PlatformCommand {
  os?: string;
  arch?: string;
  command?: string;
}

/** goos/goarch as Go spells them (linux, amd64), which is how plugin.yaml spells them too. */
export function offlinePlugin(pluginYaml: string, goos: string, goarch: string): OfflinePlugin {
  const document = parseDocument(pluginYaml);
  const { name, platformCommand } = document.toJS() as { name?: unknown; platformCommand?: PlatformCommand[] };
  if (typeof name !== 'string' || name === '') throw new Error('plugin.yaml has no name');
  const entry = (platformCommand ?? []).find((c) => c.os === goos && c.arch === goarch);
  const command = /^\$HELM_PLUGIN_DIR\/([\w.-]+)$/.exec(entry?.command ?? '');
  if (!command?.[1]) {
    throw new Error(`plugin.yaml of ${name} names no binary in $HELM_PLUGIN_DIR for ${goos}/${goarch}`);
  }
  document.delete('platformHooks');
  return { name, binary: command[1], manifest: document.toString({ lineWidth: 0 }) };
}
