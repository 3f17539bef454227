// What an interrupted test run leaves behind must not outlive it, and the next run must clean it up.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { startEtcd } from '../../src/etcd.ts';
import { openRun, processStartTime, reapStaleRuns } from '../../src/run-registry.ts';

const cluster = inject('controlPlane');

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if ((await processStartTime(pid)) === undefined) return true;
    await sleep(100);
  }
  return false;
}

describe('an interrupted run', () => {
  it('does not leave etcd running when the process that started it is killed', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'hold-etcd.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { pid, runDir } = JSON.parse(line) as { pid: number; runDir: string };
    expect(await processStartTime(pid)).toBeDefined();

    child.kill('SIGKILL');
    expect(await waitForExit(pid, 20_000)).toBe(true);

    // The run directory is left for the next run to collect.
    expect(existsSync(runDir)).toBe(true);
    await reapStaleRuns();
    expect(existsSync(runDir)).toBe(false);
  });

  it('has its leftover processes stopped and its files removed by the next run', async () => {
    // The run's owner is a stand-in process; etcd itself stays our child, so only the reaper can stop it.
    const owner = spawn('sleep', ['300'], { stdio: 'ignore' });
    const run = await openRun(owner.pid);
    const etcd = await startEtcd(run, cluster.binaries.etcd);
    owner.kill('SIGKILL');
    await once(owner, 'exit');

    expect(etcd.process.isRunning()).toBe(true);
    const stopped = await reapStaleRuns();
    expect(stopped).toContain(etcd.process.pid);
    await etcd.process.exited;
    expect(existsSync(run.dir)).toBe(false);
  });

  it('leaves the runs of live owners alone', async () => {
    expect(existsSync(cluster.runDir)).toBe(true);
    await reapStaleRuns();
    expect(existsSync(cluster.runDir)).toBe(true);
  });
});
