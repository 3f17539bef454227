// How each cached build is made and checked: the control plane, then every cluster tool. Every
// program is built the same reproducible way: the module's own go.mod/go.sum only (-mod=readonly),
// the installed Go only (GOTOOLCHAIN=local), static (CGO_ENABLED=0), no paths or symbols kept.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BINARIES, buildIdentity } from './binaries.ts';
import type { BuildSteps, CachedBuildIdentity } from './cached-build.ts';
import {
  CLUSTER_TOOLS,
  HELM_UNITTEST_PLUGIN,
  clusterToolIdentity,
  toolLayout,
  toolModuleDir,
} from './cluster-tools.ts';
import { offlinePlugin } from './helm-plugin.ts';
import { dependencySourceDir, go, moduleDir } from './go-tool.ts';

const run = promisify(execFile);

export interface Recipe {
  identity(): Promise<CachedBuildIdentity>;
  steps(identity: CachedBuildIdentity): BuildSteps;
}

async function goBuild(cwd: string, output: string, packages: string[], ldflags: string[] = []): Promise<void> {
  await go(['build', '-trimpath', '-ldflags', ['-s', '-w', ...ldflags].join(' '), '-o', output, ...packages], {
    cwd,
    env: { CGO_ENABLED: '0' },
  });
}

/** Runs a freshly built program and fails unless what it prints contains `expected`. */
async function expectOutput(binary: string, args: string[], expected: string): Promise<void> {
  const { stdout, stderr } = await run(binary, args, { timeout: 30_000 });
  if (!`${stdout}${stderr}`.includes(expected)) {
    throw new Error(`${binary} ${args.join(' ')} does not say ${expected}: ${`${stdout}${stderr}`.trim()}`);
  }
}

/** pause has no version to print: it must wait until asked to stop, then exit 0. */
async function checkPause(binary: string): Promise<void> {
  const child = execFile(binary);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise((resolve) => setTimeout(resolve, 200));
  if (child.exitCode !== null) throw new Error(`pause exited (${child.exitCode}) before it was signalled`);
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`pause exited with ${code} on SIGTERM, expected 0`);
}

/** Stamps the version the way release builds do, so /version and `kubectl version` tell the truth. */
function kubernetesVersionLdflags(kubernetesVersion: string): string[] {
  const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(kubernetesVersion) ?? [];
  if (!major || !minor) throw new Error(`cannot stamp version ${kubernetesVersion}`);
  const vars = { gitVersion: kubernetesVersion, gitMajor: major, gitMinor: minor, gitTreeState: 'clean' };
  const flags: string[] = [];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    for (const [name, value] of Object.entries(vars)) flags.push(`-X ${pkg}.${name}=${value}`);
  }
  return flags;
}

const controlPlane: Recipe = {
  identity: buildIdentity,
  steps: ({ version }) => ({
    label: 'control plane',
    product: 'Kubernetes',
    firstTimeCost: 'about 5 minutes on 2 cores',
    async build(staging) {
      await goBuild(moduleDir, `${staging}/`, ['./cmd/...'], kubernetesVersionLdflags(version));
      for (const name of BINARIES) {
        const binary = join(staging, name);
        if (name === 'pause') await checkPause(binary);
        else if (name === 'etcd') await expectOutput(binary, ['--version'], 'etcd Version');
        else if (name === 'kubectl') await expectOutput(binary, ['version', '--client'], version);
        else await expectOutput(binary, ['--version'], version);
      }
    },
  }),
};

const helm: Recipe = {
  identity: () => clusterToolIdentity('helm'),
  steps: ({ version }) => ({
    label: 'helm',
    product: 'Helm',
    firstTimeCost: 'about 2 minutes on 2 cores',
    async build(staging) {
      const binary = toolLayout.helm(staging);
      // Without the stamp Helm calls itself "v4.3", its default for development builds.
      await goBuild(
        toolModuleDir('helm'),
        binary,
        ['./cmd/helm'],
        [`-X helm.sh/helm/v4/internal/version.version=${version}`],
      );
      await expectOutput(binary, ['version', '--template', '{{.Version}}'], version);
    },
  }),
};

const helmUnittest: Recipe = {
  identity: () => clusterToolIdentity('helm-unittest'),
  steps: ({ version }) => ({
    label: 'helm-unittest',
    product: 'helm-unittest',
    firstTimeCost: 'about 1 minute on 2 cores',
    async build(staging) {
      const moduleDir = toolModuleDir('helm-unittest');
      const source = await dependencySourceDir(moduleDir, CLUSTER_TOOLS['helm-unittest']);
      const [goos, goarch] = (await go(['env', 'GOOS', 'GOARCH'], { cwd: moduleDir })).trim().split('\n');
      const plugin = offlinePlugin(await readFile(join(source, 'plugin.yaml'), 'utf8'), goos ?? '', goarch ?? '');
      if (plugin.name !== HELM_UNITTEST_PLUGIN) throw new Error(`helm-unittest's plugin is now called ${plugin.name}`);
      const folder = toolLayout.helmUnittestPlugin(staging);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'plugin.yaml'), plugin.manifest);
      const binary = join(folder, plugin.binary);
      // The plugin reports this version to test suites that ask for a minimum one (plugin.yaml has no "v").
      await goBuild(
        moduleDir,
        binary,
        ['./cmd/helm-unittest'],
        [`-X github.com/helm-unittest/helm-unittest/internal/build.version=${version.replace(/^v/, '')}`],
      );
      await expectOutput(binary, ['--help'], 'unittest [flags] CHART');
    },
  }),
};

const certManager: Recipe = {
  identity: () => clusterToolIdentity('cert-manager'),
  steps: ({ version }) => ({
    label: 'cert-manager',
    product: 'cert-manager',
    firstTimeCost: 'about 3 minutes on 2 cores',
    async build(staging) {
      const moduleDir = toolModuleDir('cert-manager');
      await goBuild(
        moduleDir,
        `${staging}/`,
        ['./cmd/controller', './cmd/cainjector'],
        [`-X github.com/cert-manager/cert-manager/pkg/util.AppVersion=${version}`],
      );
      await expectOutput(toolLayout.certManagerController(staging), ['--version'], version);
      await expectOutput(toolLayout.certManagerCainjector(staging), ['--version'], version);
      // The CRDs come with the module's source; a copy keeps test runs independent of the module cache.
      const crds = join(await dependencySourceDir(moduleDir, CLUSTER_TOOLS['cert-manager']), 'deploy', 'crds');
      const target = toolLayout.certManagerCrds(staging);
      await mkdir(target);
      const files = (await readdir(crds)).filter((name) => name.endsWith('.yaml'));
      if (files.length === 0) throw new Error(`no CRDs in ${crds}`);
      for (const name of files) await copyFile(join(crds, name), join(target, name));
    },
  }),
};

/** In build order: the control plane first, as every end-to-end suite needs it. */
export const RECIPES: Recipe[] = [controlPlane, helm, helmUnittest, certManager];
