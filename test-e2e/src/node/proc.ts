// What the clean-up needs from /proc: finding processes by command line, telling live processes from
// zombies, killing and waiting. Processes of a node are found by what ties them to the run (the
// containerd socket on a shim's command line, a container's cgroup), never by name alone.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export async function listPids(): Promise<number[]> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
}

export async function commandLine(pid: number): Promise<string[]> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return raw.split('\0').filter((arg) => arg !== '');
}

/** False for a process that is gone or a zombie (dead, waiting for its parent to collect it). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Waits until none of `pids` is alive; returns those still alive at the deadline. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive: number[] = [];
    for (const pid of pids) if (await isAlive(pid)) alive.push(pid);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(50);
  }
}

export async function killAndWait(pids: number[], timeoutMs = 10_000): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGKILL');
  const left = await waitForExit(pids, timeoutMs);
  if (left.length > 0) throw new Error(`processes ${left.join(', ')} did not exit after SIGKILL`);
}

/** Paths of the unix sockets a process holds (a shim's socket lives under /run/containerd/s). */
export async function unixSocketPaths(pid: number): Promise<string[]> {
  const inodes = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const table = await readFile('/proc/net/unix', 'utf8').catch(() => '');
  const paths: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    // Num RefCount Protocol Flags Type St Inode Path
    const fields = line.trim().split(/\s+/);
    const path = fields[7];
    if (path?.startsWith('/') && inodes.has(fields[6] ?? '')) paths.push(path);
  }
  return [...new Set(paths)];
}
