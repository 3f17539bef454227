// `pnpm bench [--scale] [options]`: the admission and controller benchmarks, or, with --scale, the
// scale envelope (it takes longer: up to 20 minutes at its largest size on a 2-core machine). The
// options go to the scenario run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const args = process.argv.slice(2);
const scale = args.includes('--scale');
const rest = args.filter((a) => a !== '--scale');
const run = (script: string, scriptArgs: string[]) => {
  const { status } = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', script), ...scriptArgs], {
    stdio: 'inherit',
  });
  if (status !== 0) process.exit(status ?? 1);
};
if (scale) run('test-e2e/bench/scale.ts', rest);
else {
  run('packages/webhook/bench/admission-latency.ts', []);
  run('test-e2e/bench/controller.ts', rest);
}
