#!/usr/bin/env node
// Entry point of the operator: `gko-operator [--controllers] [--webhook]`, configured by environment
// variables (see the README), against the current kubeconfig or, in a pod, the service account.
import { createLogger, exitWithTestParent, onShutdown, parseLogLevel } from '@gko/runtime';
import { WebhookConfigError } from '@gko/webhook';
import { ConfigError, loadOperatorConfig } from './config.ts';
import { startOperator } from './program.ts';
import { runReleaseFinalizers } from './startup/release-finalizers.ts';
import { isCommand } from './commands/names.ts';

// `main.mjs validate ...` in the image: the commands for people and pipelines, loaded only for them.
if (isCommand(process.argv[2])) {
  const { flushed, processIo, runCommand } = await import('./commands/index.ts');
  const status = await runCommand(process.argv.slice(2), processIo());
  await flushed();
  process.exit(status);
}

if (process.argv[2] === '--release-finalizers') {
  const logger = createLogger({
    component: 'release-finalizers',
    level: parseLogLevel(process.env['LOGS_LEVEL'] ?? 'info'),
  });
  await runReleaseFinalizers(process.env, logger).then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error('cannot release the finalizers', { error });
      process.exit(1);
    },
  );
}

let config;
try {
  config = loadOperatorConfig(process.argv.slice(2), process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${JSON.stringify({ level: 'error', component: 'operator', msg: error.message })}\n`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger({
  component: 'operator',
  level: parseLogLevel(config.logLevel),
  format: process.env['LOGS_FORMAT'] === 'console' ? 'console' : 'json',
});
let operator;
try {
  operator = await startOperator(config, process.env, logger, () => {
    // Another replica may already reconcile: stop now, and let the pod restart as a follower.
    logger.error('leadership lost; exiting');
    process.exit(1);
  });
} catch (error) {
  if (error instanceof WebhookConfigError) {
    logger.error(error.message);
    process.exit(2);
  }
  // Nothing runs yet: say why in one log line (no stack dump), and let the pod restart with backoff.
  logger.error('cannot start', { error });
  process.exit(1);
}
const running = operator;
onShutdown(logger, () => running.stop(), config.shutdownGraceMs + 10_000);
exitWithTestParent(() => void running.stop().then(() => process.exit(0)));
logger.info('started', {
  controllers: config.controllers,
  webhook: config.webhook,
  namespaces: config.namespaces.length > 0 ? config.namespaces : 'all',
  leaderElection: !!config.leaderElection,
  ports: running.ports,
});
