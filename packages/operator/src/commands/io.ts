// What a command reads and writes besides its arguments, so that it runs the same from a terminal,
// in a pipeline, or inside a test.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  stdin(): Promise<string>;
  env: Record<string, string | undefined>;
}

/** Exit codes shared by the commands: 2 is for input or usage that cannot be worked with. */
export const EXIT = { ok: 0, problems: 1, unusable: 2 } as const;

/** A command line that cannot be run as given: said with the usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The command's flags and paths; unknown flags and missing values are usage errors. */
export function parseCommandLine<T extends Options>(
  argv: string[],
  options: T,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `1 object`, `2 objects`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
