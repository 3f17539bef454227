// The watchdog process of a run (see watchdog.ts):  node watchdog-main.ts <run directory>
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processStartTime, reapRun } from '../run-registry.ts';

const POLL_MS = 500;
const runDir = process.argv[2];
if (!runDir) throw new Error('usage: watchdog-main.ts <run directory>');

// stop() of a healthy run ends us before it cleans up by itself.
process.on('SIGTERM', () => process.exit(0));

const owner = JSON.parse(await readFile(join(runDir, 'owner.json'), 'utf8')) as { pid: number; startTime: string };
for (;;) {
  if (!existsSync(runDir)) process.exit(0);
  if ((await processStartTime(owner.pid)) !== owner.startTime) break;
  await sleep(POLL_MS);
}
console.log(`${new Date().toISOString()} owner ${owner.pid} is gone: cleaning up ${runDir}`);
try {
  await reapRun(runDir);
} catch (error) {
  // The next run's reapStaleRuns() gets another go at whatever is left.
  console.error(`clean-up failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
}
