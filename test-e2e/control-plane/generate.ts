// Regenerates go.mod (and go.sum) of the control-plane wrapper module from upstream's go.mod, and
// keeps the cluster tools' modules (test-e2e/cluster-tools/*, whose go.mod pins a release by hand)
// tidy, so that every module builds with -mod=readonly from exactly what is committed.
//   node test-e2e/control-plane/generate.ts [kubernetes-version]   rewrite (default: the current version)
//   node test-e2e/control-plane/generate.ts --check                 fail if a go.mod/go.sum is stale
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLUSTER_TOOLS, toolModuleDir, type ClusterTool } from './cluster-tools.ts';
import { downloadedGoMod, go, moduleDir } from './go-tool.ts';
import { parseOwnGoMod, parseUpstreamGoMod, renderGoMod, replaceDirectives } from './go-mod.ts';

const goModPath = join(moduleDir, 'go.mod');
const check = process.argv.includes('--check');
const requested = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const own = existsSync(goModPath) ? parseOwnGoMod(await readFile(goModPath, 'utf8')) : undefined;
const version = requested ?? own?.kubernetesVersion;
if (!version) throw new Error('usage: generate.ts <kubernetes-version>, e.g. v1.36.4');

const tools = (Object.keys(CLUSTER_TOOLS) as ClusterTool[]).map((name) => [name, toolModuleDir(name)] as const);
const upstream = parseUpstreamGoMod(await readFile(await downloadedGoMod('k8s.io/kubernetes', version), 'utf8'));

if (check) {
  const problems: string[] = [];
  const expected = replaceDirectives(version, upstream);
  for (const [path, v] of expected) {
    if (own?.replaces.get(path) !== v) problems.push(`replace ${path} => ${v} is missing or different`);
  }
  for (const path of own?.replaces.keys() ?? []) {
    if (!expected.has(path)) problems.push(`replace ${path} is not a staging module of k8s.io/kubernetes ${version}`);
  }
  // `go mod tidy -diff` prints what tidy would change and exits non-zero, without touching files.
  for (const [name, dir] of [['control-plane', moduleDir], ...tools]) {
    await go(['mod', 'tidy', '-diff'], { cwd: dir, env: { GOFLAGS: '-mod=mod' } }).catch(
      (error: Error & { stdout?: string }) => {
        problems.push(`${name}: go.mod/go.sum are not tidy:\n${error.stdout || error.message}`);
      },
    );
  }
  if (problems.length > 0) {
    console.error(
      `a go.mod of test-e2e is stale (run: node test-e2e/control-plane/generate.ts):\n${problems.join('\n')}`,
    );
    process.exit(1);
  }
} else {
  await writeFile(goModPath, renderGoMod(version, upstream));
  await go(['mod', 'tidy'], { env: { GOFLAGS: '-mod=mod' } });
  console.log(`go.mod now builds k8s.io/kubernetes ${version} with ${upstream.stagingModules.length} staging replaces`);
  for (const [name, dir] of tools) {
    await go(['mod', 'tidy'], { cwd: dir, env: { GOFLAGS: '-mod=mod' } });
    console.log(`cluster-tools/${name}: go.mod and go.sum tidied`);
  }
}
