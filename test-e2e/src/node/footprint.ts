// Everything of a run that lives outside its files: processes (each with its start time, so that a
// recycled PID is not mistaken for one of ours), mounts, cgroups and iptables rules. Taken while a
// cluster runs, it tells a test what a clean-up must have removed.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processStartTime, watchdogFile } from '../run-registry.ts';
import { kubeletChainsPresent, runRules } from './iptables.ts';
import { mountsUnder } from './mounts.ts';
import { nodePaths, runId } from './paths.ts';
import { readKubeletSysctls } from './sysctls.ts';
import { containerPids, containerStates, runtimePids, type NodeMarker } from './teardown.ts';

export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

export interface RunFootprint {
  runDir: string;
  processes: ProcessIdentity[];
  mounts: string[];
  cgroups: string[];
  rules: string[];
}

/** What the last node on the machine must have put back; see outside.ts and sysctls.ts. */
export interface MachineLeftovers {
  kubeletChains: string[];
  /** Folders outside the run that were absent before the node started and exist again. */
  outsideDirs: string[];
  /** Kernel settings that differ from before the node started. */
  sysctls: string[];
}

async function identify(pids: number[]): Promise<ProcessIdentity[]> {
  const identities: ProcessIdentity[] = [];
  for (const pid of pids) {
    const startTime = await processStartTime(pid);
    if (startTime) identities.push({ pid, startTime });
  }
  return identities;
}

async function recordedPids(runDir: string): Promise<number[]> {
  const dir = join(runDir, 'processes');
  const files = existsSync(dir) ? await readdir(dir) : [];
  const watchdog = await readFile(watchdogFile(runDir), 'utf8').catch(() => undefined);
  return [
    ...files.map((file) => Number(file.replace(/\.json$/, ''))),
    ...(watchdog ? [(JSON.parse(watchdog) as ProcessIdentity).pid] : []),
  ];
}

export async function runFootprint(runDir: string): Promise<RunFootprint> {
  const paths = nodePaths(runDir);
  const states = await containerStates(paths);
  const { containerd, shims } = await runtimePids(paths);
  return {
    runDir,
    processes: await identify([
      ...(await recordedPids(runDir)),
      ...containerd,
      ...shims,
      ...(await containerPids(states)),
    ]),
    mounts: await mountsUnder(runDir),
    cgroups: states.flatMap((state) => state.cgroupPaths).filter((path) => existsSync(path)),
    rules: await runRules(runId(runDir)),
  };
}

/** What is still there of a footprint taken earlier (empty lists once the run is cleaned up). */
export async function leftovers(footprint: RunFootprint): Promise<RunFootprint> {
  const processes: ProcessIdentity[] = [];
  for (const process of footprint.processes) {
    if ((await processStartTime(process.pid)) === process.startTime) processes.push(process);
  }
  return {
    runDir: footprint.runDir,
    processes,
    mounts: await mountsUnder(footprint.runDir),
    cgroups: footprint.cgroups.filter((path) => existsSync(path)),
    rules: await runRules(runId(footprint.runDir)),
  };
}

/** Compares the machine with what a node's marker says it was like before (read it while the node runs). */
export async function machineLeftovers(before: NodeMarker): Promise<MachineLeftovers> {
  const now = await readKubeletSysctls();
  return {
    kubeletChains: await kubeletChainsPresent(),
    outsideDirs: before.absentBefore.filter((dir) => existsSync(dir)),
    sysctls: Object.entries(before.sysctlsBefore)
      .filter(([name, value]) => now[name] !== value)
      .map(([name, value]) => `${name}: ${now[name]} (was ${value})`),
  };
}
