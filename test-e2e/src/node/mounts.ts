// Mounts a node makes under its run directory: kubelet volumes (tmpfs, binds), container root file
// systems (overlay), sandbox /dev/shm and network namespaces. They must all be gone before the
// directory is deleted: a recursive delete would otherwise reach into whatever they expose.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount points at or below `dir`, most recent first (the order to unmount them in). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const points = info
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  return points.reverse();
}

async function umount(point: string, lazy: boolean): Promise<void> {
  await run('umount', lazy ? ['--lazy', point] : [point]).catch(() => undefined);
}

/**
 * Unmounts everything at or below `dir`, deepest and newest first; a mount still busy after a few
 * rounds is detached lazily (it disappears from the tree at once, and for good once unused).
 */
export async function unmountAll(dir: string): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const points = await mountsUnder(dir);
    if (points.length === 0) return;
    for (const point of points) await umount(point, false);
  }
  for (const point of await mountsUnder(dir)) await umount(point, true);
  const left = await mountsUnder(dir);
  if (left.length > 0) throw new Error(`cannot unmount ${left.join(', ')}`);
}
