// A node's containerd, shims and containers have no lifeline: containerd is the Debian program, and
// its shims and containers are re-parented away from the test process at once. A small process per
// run, in a session of its own so that a signal to the test's process group spares it, watches the
// run's owner and cleans the run up as soon as the owner is gone, then exits. It never outlives the
// run: it also exits when the run directory disappears or when the cluster's stop() ends it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processStartTime, watchdogFile, type Run } from '../run-registry.ts';

export interface Watchdog {
  pid: number;
  stop(): Promise<void>;
}

export async function startWatchdog(run: Run): Promise<Watchdog> {
  const log = await open(join(run.dir, 'logs', 'watchdog.log'), 'a');
  const child = spawn(process.execPath, [join(import.meta.dirname, 'watchdog-main.ts'), run.dir], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
  });
  await log.close();
  if (child.pid === undefined) {
    const [error] = (await once(child, 'error')) as [Error];
    throw new Error(`cannot start the watchdog: ${error.message}`);
  }
  const pid = child.pid;
  const exited = once(child, 'exit');
  child.unref();
  const startTime = await processStartTime(pid);
  await writeFile(watchdogFile(run.dir), JSON.stringify({ pid, startTime }));
  return {
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
    },
  };
}
