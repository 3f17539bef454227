export { ConfigError, loadOperatorConfig, type OperatorConfig } from './config.ts';
export { startOperator, type RunningOperator } from './program.ts';
