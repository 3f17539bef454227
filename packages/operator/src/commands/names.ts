// The command names, apart from the commands themselves: the operator's entry point tells a command
// from its own flags without loading them.
export const COMMAND_NAMES = ['validate', 'diff'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const isCommand = (arg: string | undefined): arg is CommandName =>
  (COMMAND_NAMES as readonly string[]).includes(arg ?? '');
