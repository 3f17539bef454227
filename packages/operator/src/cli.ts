#!/usr/bin/env node
// `gko COMMAND ...`: the commands for people and pipelines (validate, diff). In the image, the same
// commands run as `node /app/main.mjs COMMAND ...`.
import { processIo, runCommand } from './commands/index.ts';

process.exitCode = await runCommand(process.argv.slice(2), processIo());
