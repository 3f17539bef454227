// Writes generated files, or checks that the committed ones are what the generator would write.
// Shared by the generators of every package, so "stale" means the same thing everywhere.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

export interface GeneratedFile {
  path: string;
  content: string;
}

/** A directory whose files matching `pattern` all come from the generator: others are stale. */
export interface OwnedDirectory {
  dir: string;
  pattern: RegExp;
}

export async function writeOrCheck(
  files: GeneratedFile[],
  options: { check: boolean; owned?: OwnedDirectory[]; root: string; regenerateWith: string },
): Promise<boolean> {
  const expected = new Set(files.map((f) => f.path));
  const leftovers: string[] = [];
  for (const { dir, pattern } of options.owned ?? []) {
    if (!existsSync(dir)) continue;
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      if (pattern.test(name) && !expected.has(path)) leftovers.push(path);
    }
  }
  if (options.check) {
    const stale: string[] = [];
    for (const file of files) {
      const current = await readFile(file.path, 'utf8').catch(() => undefined);
      if (current !== file.content)
        stale.push(`${relative(options.root, file.path)} ${current === undefined ? 'is missing' : 'is stale'}`);
    }
    for (const path of leftovers) stale.push(`${relative(options.root, path)} is no longer generated`);
    if (stale.length > 0) {
      console.error(`generated files are out of date (run: ${options.regenerateWith}):\n  ${stale.join('\n  ')}`);
      return false;
    }
    return true;
  }
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content);
  }
  for (const path of leftovers) await rm(path);
  return true;
}
