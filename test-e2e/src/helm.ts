// Runs the Helm 4 built for the tests, with the helm-unittest plugin installed, optionally against a
// test cluster. Its environment is built from scratch: no user's Helm settings, plugins or clusters.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { clusterToolBinaries, helmEnv } from '../control-plane/cluster-tools.ts';

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HelmOptions {
  /** The cluster to act on; without it, only offline commands (template, lint, unittest) make sense. */
  kubeconfig?: string;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

export async function helm(args: string[], options: HelmOptions = {}): Promise<HelmResult> {
  const tools = await clusterToolBinaries();
  // Helm's config and cache go next to the cluster's kubeconfig, like kubectl's discovery cache.
  const stateDir = options.kubeconfig ? join(dirname(options.kubeconfig), 'helm') : undefined;
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    ...helmEnv(tools, stateDir),
    ...(options.kubeconfig ? { KUBECONFIG: options.kubeconfig } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = execFile(
      tools.helm,
      args,
      {
        env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          const signal = error.signal ? ` (killed by ${error.signal})` : '';
          reject(new Error(`helm ${args.join(' ')}: ${error.message}${signal}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
