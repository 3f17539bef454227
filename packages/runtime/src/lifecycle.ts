// Starting and stopping a program cleanly: one shutdown on SIGTERM or SIGINT, with a deadline, and
// (for processes started by tests) a stop when the parent process is gone.
import type { Logger } from './logger.ts';

/** Runs `shutdown` once on SIGTERM or SIGINT, then exits; exits anyway after `graceMs`. */
export function onShutdown(logger: Logger, shutdown: (signal: string) => Promise<void>, graceMs = 30_000): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting', { graceMs });
      process.exit(1);
    }, graceMs);
    deadline.unref();
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * When GKO_TESTENV_PARENT_PID names our parent, stops the program as soon as that process is gone:
 * what a test run starts must not outlive it.
 */
export function exitWithTestParent(onGone: () => void): void {
  const parent = Number(process.env['GKO_TESTENV_PARENT_PID']);
  if (!parent || parent <= 1) return;
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 500).unref();
}
