// Starts control-plane components as child processes that log to files, and stops them for sure.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Run } from './run-registry.ts';

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after the grace period. Safe to call more than once. */
  stop(gracePeriodMs?: number): Promise<void>;
}

export interface ProcessSpec {
  name: string;
  binary: string;
  args: string[];
  env?: Record<string, string>;
}

export async function startProcess(run: Run, spec: ProcessSpec): Promise<ManagedProcess> {
  const logDir = join(run.dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const log = await open(logFile, 'a');
  const child = spawn(spec.binary, spec.args, {
    cwd: run.dir,
    stdio: ['ignore', log.fd, log.fd],
    // The lifeline in each binary stops it when this process (its parent) is gone.
    env: { ...process.env, ...spec.env, GKO_TESTENV_PARENT_PID: String(process.pid) },
  });
  await log.close();
  if (child.pid === undefined) {
    const [error] = (await once(child, 'error')) as [Error];
    throw new Error(`cannot start ${spec.name} (${spec.binary}): ${error.message}`);
  }
  const pid = child.pid;
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const forget = await run.track(pid, spec.binary);

  const stop = async (gracePeriodMs = 10_000) => {
    if (running) {
      child.kill('SIGTERM');
      const result = await Promise.race([exited, sleep(gracePeriodMs, 'timeout' as const)]);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await forget();
  };
  return { name: spec.name, pid, logFile, exited, isRunning: () => running, stop };
}

export async function logTail(process: ManagedProcess, lines = 30): Promise<string> {
  const text = await readFile(process.logFile, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Polls `check` until it returns true. Fails early, with the end of the component's log, when the
 * process exits, and after `timeoutMs` otherwise.
 */
export async function waitUntilReady(
  process: ManagedProcess,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!process.isRunning()) {
      throw new Error(
        `${process.name} exited (${await process.exited}) before it was ready:\n${await logTail(process)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(
    `${process.name} was not ready after ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}:\n${await logTail(process)}`,
  );
}
