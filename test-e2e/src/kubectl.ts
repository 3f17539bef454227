// Runs the kubectl built from the same release as the server, against a test cluster.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlTarget {
  kubectl: string;
  kubeconfig: string;
}

export function kubectl(
  target: KubectlTarget,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      target.kubectl,
      args,
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '',
          KUBECONFIG: target.kubeconfig,
          // Discovery cache next to the kubeconfig: per test cluster, never the user's ~/.kube.
          KUBECACHEDIR: join(dirname(target.kubeconfig), 'kube-cache'),
        },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          const signal = error.signal ? ` (killed by ${error.signal})` : '';
          reject(new Error(`kubectl ${args.join(' ')}: ${error.message}${signal}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** Like kubectl(), but fails with kubectl's own message when the command does not succeed. */
export async function kubectlOk(
  target: KubectlTarget,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await kubectl(target, args, options);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}
