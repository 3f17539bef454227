// The tools the end-to-end tests use besides the control plane: Helm 4, the helm-unittest plugin,
// and cert-manager's controller and cainjector. Each is a small Go module of ours under
// test-e2e/cluster-tools/<tool>/ that pins one upstream release, built and cached like the control
// plane, in <cache>/cluster-tools/<tool>/<version>-<Go version>-<source hash>/ (see build.ts).
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot, cachedBuildIdentity, requireBuilt, type CachedBuildIdentity } from './cached-build.ts';

export const clusterToolsDir = join(import.meta.dirname, '..', 'cluster-tools');

/** Each tool's folder, and the upstream module whose version names its build. */
export const CLUSTER_TOOLS = {
  helm: 'helm.sh/helm/v4',
  'helm-unittest': 'github.com/helm-unittest/helm-unittest',
  'cert-manager': 'github.com/cert-manager/cert-manager',
} as const;
export type ClusterTool = keyof typeof CLUSTER_TOOLS;

/** The folder of the helm-unittest plugin is its name, which is also the `helm` subcommand. */
export const HELM_UNITTEST_PLUGIN = 'unittest';

/** Where things are inside each tool's cache folder; the build writes them there. */
export const toolLayout = {
  helm: (dir: string) => join(dir, 'helm'),
  helmDataHome: (dir: string) => join(dir, 'helm-data'),
  helmUnittestPlugin: (dir: string) => join(dir, 'helm-data', 'plugins', HELM_UNITTEST_PLUGIN),
  certManagerController: (dir: string) => join(dir, 'controller'),
  certManagerCainjector: (dir: string) => join(dir, 'cainjector'),
  certManagerCrds: (dir: string) => join(dir, 'crds'),
};

export function toolModuleDir(tool: ClusterTool): string {
  return join(clusterToolsDir, tool);
}

/** The version a go.mod requires of `module` (a replace does not change the name of the build). */
export function requiredVersion(goMod: string, module: string): string {
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!m?.[1]) throw new Error(`go.mod does not require ${module}`);
  return m[1];
}

export async function clusterToolIdentity(tool: ClusterTool): Promise<CachedBuildIdentity> {
  const moduleDir = toolModuleDir(tool);
  const version = requiredVersion(await readFile(join(moduleDir, 'go.mod'), 'utf8'), CLUSTER_TOOLS[tool]);
  return cachedBuildIdentity(`cluster-tools/${tool}`, moduleDir, version);
}

export interface ClusterToolBinaries {
  helm: string;
  /** The helm-unittest plugin, installed: its plugin.yaml and binary. */
  helmUnittestPlugin: string;
  /** The HELM_DATA_HOME whose plugins/ holds that plugin. */
  helmDataHome: string;
  certManagerController: string;
  certManagerCainjector: string;
  /** cert-manager's CustomResourceDefinitions, one file each. */
  certManagerCrds: string[];
  versions: Record<ClusterTool, string>;
}

/** Absolute paths of the built tools; fails with instructions when one is not built yet. */
export async function clusterToolBinaries(): Promise<ClusterToolBinaries> {
  const [helm, unittest, certManager] = await Promise.all([
    clusterToolIdentity('helm'),
    clusterToolIdentity('helm-unittest'),
    clusterToolIdentity('cert-manager'),
  ]);
  requireBuilt(helm, 'Helm');
  requireBuilt(unittest, 'helm-unittest');
  requireBuilt(certManager, 'cert-manager');
  const crds = toolLayout.certManagerCrds(certManager.dir);
  return {
    helm: toolLayout.helm(helm.dir),
    helmUnittestPlugin: toolLayout.helmUnittestPlugin(unittest.dir),
    helmDataHome: toolLayout.helmDataHome(unittest.dir),
    certManagerController: toolLayout.certManagerController(certManager.dir),
    certManagerCainjector: toolLayout.certManagerCainjector(certManager.dir),
    certManagerCrds: readdirSync(crds)
      .filter((name) => name.endsWith('.yaml'))
      .sort()
      .map((name) => join(crds, name)),
    versions: { helm: helm.version, 'helm-unittest': unittest.version, 'cert-manager': certManager.version },
  };
}

/**
 * The Helm variables a `helm` call needs: plugins (helm-unittest) from the built data home, and
 * Helm's config (repositories, registry logins) and cache in `stateDir`, never the user's own.
 * HELM_PLUGINS must stay unset: Helm 4 lists plugins from it but would install into
 * $HELM_DATA_HOME/plugins, so its default (that folder) is the one that keeps both in agreement.
 */
export function helmEnv(
  tools: Pick<ClusterToolBinaries, 'helmDataHome'>,
  stateDir: string = join(cacheRoot(), 'helm-state'),
): Record<string, string> {
  return {
    HELM_DATA_HOME: tools.helmDataHome,
    HELM_CONFIG_HOME: join(stateDir, 'config'),
    HELM_CACHE_HOME: join(stateDir, 'cache'),
  };
}
