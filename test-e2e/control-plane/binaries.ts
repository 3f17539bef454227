// Where the control-plane binaries of the current module state live, outside the repository:
// <cache>/control-plane/<Kubernetes version>-<Go version>-<source hash>/ (see cached-build.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cachedBuildIdentity, requireBuilt, type CachedBuildIdentity } from './cached-build.ts';
import { parseOwnGoMod } from './go-mod.ts';
import { moduleDir } from './go-tool.ts';

export { cacheRoot, STAMP_FILE } from './cached-build.ts';

export const BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kubelet',
  'pause',
] as const;
export type BinaryName = (typeof BINARIES)[number];

export interface BuildIdentity extends CachedBuildIdentity {
  kubernetesVersion: string;
}

export async function buildIdentity(): Promise<BuildIdentity> {
  const { kubernetesVersion } = parseOwnGoMod(await readFile(join(moduleDir, 'go.mod'), 'utf8'));
  return { ...(await cachedBuildIdentity('control-plane', moduleDir, kubernetesVersion)), kubernetesVersion };
}

export type ControlPlaneBinaries = Record<BinaryName, string> & { kubernetesVersion: string };

/** The built binaries for the current sources; fails with instructions when they are not built yet. */
export async function controlPlaneBinaries(): Promise<ControlPlaneBinaries> {
  const identity = await buildIdentity();
  requireBuilt(identity, 'the control plane of Kubernetes');
  const paths = Object.fromEntries(BINARIES.map((name) => [name, join(identity.dir, name)])) as Record<
    BinaryName,
    string
  >;
  return { ...paths, kubernetesVersion: identity.kubernetesVersion };
}
