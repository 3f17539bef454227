#!/usr/bin/env node
// `gko COMMAND ...`: the commands for people and pipelines (validate, diff). In the image, the same
// commands run as `node /app/main.mjs COMMAND ...`.
import { processIo, runCommand } from './commands/index.ts';

// Run through `npm run validate -- PATH` (the scripts run from the repository root), paths given are
// relative to where the user typed the command.
if (process.env['GKO_WORKDIR']) process.chdir(process.env['GKO_WORKDIR']);

process.exitCode = await runCommand(process.argv.slice(2), processIo());
