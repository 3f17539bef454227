// Every test run keeps its processes and files under one run directory, so that whatever a run
// leaves behind (because it was killed, or crashed before teardown) can be found and removed by the
// next one. A run is identified by its owner process; a process is identified by PID *and* start
// time, so that a PID recycled by the kernel is never mistaken for one of ours. A run that started a
// node (see node/cluster.ts) also leaves containers, mounts, cgroups and iptables rules, which the
// node's teardown finds from the run directory.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheRoot } from '../control-plane/binaries.ts';
import { deleteRunRules, taggedRunIds } from './node/iptables.ts';
import { mountsUnder } from './node/mounts.ts';
import { nodePaths } from './node/paths.ts';
import { tearDownNode } from './node/teardown.ts';

export interface ProcessRecord {
  pid: number;
  startTime: string;
  binary: string;
}

export interface Run {
  dir: string;
  /** Records a process that this run must stop; returns the function that forgets it again. */
  track(pid: number, binary: string): Promise<() => Promise<void>>;
  /** Deletes the run directory (call after every process of the run has stopped and its mounts are gone). */
  remove(): Promise<void>;
}

export function runsRoot(): string {
  return join(cacheRoot(), 'testenv', 'runs');
}

/**
 * Field 22 of /proc/<pid>/stat: start time in clock ticks since boot; undefined when gone or exited
 * (a zombie: an orphan whose exit the machine's init collects only some time later).
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
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
    remove: () => removeRunDir(dir),
  };
}

/** A recursive delete must never reach into a mount (a volume or container root file system) still in the run. */
async function removeRunDir(dir: string): Promise<void> {
  const mounts = existsSync(dir) ? await mountsUnder(dir) : [];
  if (mounts.length > 0) throw new Error(`not deleting ${dir}: still mounted: ${mounts.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
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

/** The watchdog of a run (see node/watchdog.ts) cleans it up by itself once the owner is gone. */
export function watchdogFile(dir: string): string {
  return join(dir, 'watchdog.json');
}

async function waitForWatchdog(dir: string, timeoutMs = 120_000): Promise<void> {
  const watchdog = await readJson<{ pid: number; startTime: string }>(watchdogFile(dir));
  if (!watchdog || watchdog.pid === process.pid) return;
  const deadline = Date.now() + timeoutMs;
  while ((await isSameProcess(watchdog)) && Date.now() < deadline) await sleep(100);
  if (await isSameProcess(watchdog)) {
    try {
      process.kill(watchdog.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

async function isLive(dir: string): Promise<boolean> {
  const owner = await readJson<{ pid: number; startTime: string }>(join(dir, 'owner.json'));
  return owner !== undefined && (await isSameProcess(owner));
}

/** The runs other than `dir` that have a node and a live owner (nodes share some state on the machine). */
export async function liveNodeRuns(dir: string): Promise<string[]> {
  const root = runsRoot();
  const live: string[] = [];
  for (const name of existsSync(root) ? await readdir(root) : []) {
    const other = join(root, name);
    if (other !== dir && existsSync(nodePaths(other).marker) && (await isLive(other))) live.push(other);
  }
  return live;
}

/**
 * Cleans up one run whose owner is gone: waits for its watchdog, if it has one and that is not us,
 * stops its recorded processes, tears its node down and deletes its directory. Returns the PIDs it
 * had to stop.
 */
export async function reapRun(dir: string): Promise<number[]> {
  await waitForWatchdog(dir);
  const processesDir = join(dir, 'processes');
  const files = existsSync(processesDir) ? await readdir(processesDir) : [];
  // Together: each may take its grace period to shut down.
  const stopped = await Promise.all(
    files.map(async (file) => {
      const record = await readJson<ProcessRecord>(join(processesDir, file));
      return record && (await stopRecorded(record)) ? [record.pid] : [];
    }),
  ).then((pids) => pids.flat());
  await tearDownNode(dir, { lastNode: (await liveNodeRuns(dir)).length === 0 });
  await removeRunDir(dir);
  return stopped;
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
    if (await isLive(dir)) continue;
    try {
      stopped.push(...(await reapRun(dir)));
    } catch (error) {
      // One run that cannot be cleaned up must not keep every later run from starting.
      console.warn(`cannot clean up the interrupted run ${dir}: ${(error as Error).message}`);
    }
  }
  // Rules of a run whose directory is already gone (its clean-up was itself interrupted). The run id
  // names its owner: a run of another cache folder is left alone while its owner lives.
  for (const id of await taggedRunIds()) {
    const [pid, startTime] = id.split('-');
    const owner = { pid: Number(pid), startTime: startTime ?? '' };
    if (!existsSync(join(root, id)) && !(await isSameProcess(owner))) await deleteRunRules(id);
  }
  return stopped;
}
