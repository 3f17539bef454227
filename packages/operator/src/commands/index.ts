// The commands of the `gko` program, for people and pipelines rather than for the cluster: each is
// one folder, and runs with a CommandIo so that tests run it as users do.
import { UnreadableInputError } from './manifests.ts';
import { EXIT, UsageError, type CommandIo } from './io.ts';
import { DIFF_EXIT, DIFF_USAGE, runDiff } from './diff/command.ts';
import { runValidate, VALIDATE_USAGE } from './validate/command.ts';
import { isCommand, type CommandName } from './names.ts';

interface Command {
  run(argv: string[], io: CommandIo): Promise<number>;
  usage: string;
  /** The exit status when the command cannot run (usage, unreadable input, a failure on the way). */
  failed: number;
}

const COMMANDS: Record<CommandName, Command> = {
  validate: { run: runValidate, usage: VALIDATE_USAGE, failed: EXIT.unusable },
  diff: { run: runDiff, usage: DIFF_USAGE, failed: DIFF_EXIT.failed },
};

const USAGE = `Usage: gko COMMAND [options]

Commands:
  validate   check manifests as kube-apiserver and the admission webhook would, without a cluster
  diff       preview what applying manifests would change in APIM, reading only

Run gko COMMAND --help for its options.`;

/** Runs `gko COMMAND ...` and returns its exit status; usage and unreadable input give 2, with the reason. */
export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err(`${USAGE}\n`);
    return EXIT.unusable;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (!isCommand(name)) {
    io.err(`gko: unknown command ${name}\n\n${USAGE}\n`);
    return EXIT.unusable;
  }
  const command = COMMANDS[name];
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gko ${name}: ${error.message}\n\n${command.usage}\n`);
      return command.failed;
    }
    if (error instanceof UnreadableInputError) {
      io.err(`gko ${name}: cannot read the input: ${error.message}\n`);
      return command.failed;
    }
    io.err(`gko ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return command.failed;
  }
}

/** Resolves once what was written to stdout and stderr is handed over (a pipe may take longer than the process). */
export async function flushed(): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', r))));
}

/** The process's own streams and environment. */
export function processIo(): CommandIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
  };
}
