export { ConfigError, loadOperatorConfig, type OperatorConfig } from './config.ts';
export { startOperator, type RunningOperator } from './program.ts';
export { RECOMMENDED_NODE_OPTIONS } from './node-options.ts';
export { releaseFinalizers } from './startup/release-finalizers.ts';
