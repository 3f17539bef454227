// A cross-process lock made of a directory (mkdir is atomic), holding the owner's PID so that a lock
// left by a killed process is taken over instead of waited on forever.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDirLock(path: string, pollMs = 2000): Promise<() => Promise<void>> {
  let announced = false;
  for (;;) {
    try {
      await mkdir(path);
      await writeFile(join(path, 'pid'), String(process.pid));
      return () => rm(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(join(path, 'pid'), 'utf8').catch(() => ''));
    if (owner && !alive(owner)) {
      await rm(path, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      console.error(`waiting for another process (pid ${owner || 'unknown'}) holding ${path}`);
      announced = true;
    }
    await sleep(pollMs);
  }
}
