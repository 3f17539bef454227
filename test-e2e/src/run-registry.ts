// Every test run keeps its processes and files under one run directory, so that whatever a run
// leaves behind (because it was killed, or crashed before teardown) can be found and removed by the
// next one. A run is identified by its owner process; a process is identified by PID *and* start
// time, so that a PID recycled by the kernel is never mistaken for one of ours.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheRoot } from '../control-plane/binaries.ts';

export interface ProcessRecord {
  pid: number;
  startTime: string;
  binary: string;
}

export interface Run {
  dir: string;
  /** Records a process that this run must stop; returns the function that forgets it again. */
  track(pid: number, binary: string): Promise<() => Promise<void>>;
  /** Deletes the run directory (call after every process of the run has stopped). */
  remove(): Promise<void>;
}

export function runsRoot(): string {
  return join(cacheRoot(), 'testenv', 'runs');
}

/** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot; undefined when gone. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

async function isSameProcess(record: { pid: number; startTime: string }): Promise<boolean> {
  return (await processStartTime(record.pid)) === record.startTime;
}

/** Opens a new run for an owner process (by default, this one). */
export async function openRun(ownerPid = process.pid): Promise<Run> {
  const startTime = await processStartTime(ownerPid);
  if (!startTime) throw new Error(`cannot read the start time of process ${ownerPid}`);
  const dir = join(runsRoot(), `${ownerPid}-${startTime}-${Date.now().toString(36)}`);
  await mkdir(join(dir, 'processes'), { recursive: true });
  await writeFile(join(dir, 'owner.json'), JSON.stringify({ pid: ownerPid, startTime }));
  return attachRun(dir);
}

/** Attaches to an existing run directory (e.g. from a test worker, to add a process to it). */
export function attachRun(dir: string): Run {
  return {
    dir,
    async track(pid, binary) {
      const startTime = await processStartTime(pid);
      const file = join(dir, 'processes', `${pid}.json`);
      if (startTime) await writeFile(file, JSON.stringify({ pid, startTime, binary } satisfies ProcessRecord));
      return () => rm(file, { force: true });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function stopRecorded(record: ProcessRecord): Promise<boolean> {
  if (!(await isSameProcess(record))) return false;
  // Only signal a process still running the binary we started.
  const exe = await readlink(`/proc/${record.pid}/exe`).catch(() => undefined);
  if (exe !== record.binary) return false;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(record.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let waited = 0; waited < 10_000 && (await isSameProcess(record)); waited += 100) await sleep(100);
  if (await isSameProcess(record)) signal('SIGKILL');
  return true;
}

/**
 * Stops the processes of every run whose owner is gone and deletes those runs' directories.
 * Returns the PIDs it had to stop.
 */
export async function reapStaleRuns(): Promise<number[]> {
  const root = runsRoot();
  if (!existsSync(root)) return [];
  const stopped: number[] = [];
  for (const name of await readdir(root)) {
    const dir = join(root, name);
    const owner = await readJson<{ pid: number; startTime: string }>(join(dir, 'owner.json'));
    if (owner && (await isSameProcess(owner))) continue;
    const processesDir = join(dir, 'processes');
    const files = existsSync(processesDir) ? await readdir(processesDir) : [];
    for (const file of files) {
      const record = await readJson<ProcessRecord>(join(processesDir, file));
      if (record && (await stopRecorded(record))) stopped.push(record.pid);
    }
    await rm(dir, { recursive: true, force: true });
  }
  return stopped;
}
