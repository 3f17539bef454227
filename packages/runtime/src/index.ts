export { backoffDelay, type BackoffPolicy } from './backoff.ts';
export { exitWithTestParent, onShutdown } from './lifecycle.ts';
export {
  createLogger,
  parseLogLevel,
  silentLogger,
  type LogFields,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from './logger.ts';
export {
  cacheReady,
  createMetricsRegistry,
  registerCacheMetrics,
  startOpsServer,
  type CacheHealth,
  type OpsServer,
} from './ops-server.ts';
export { REDACTED, isSecretField, redactFields, redactText } from './redact.ts';
export { jsonEqual, stableHash, stableStringify } from './stable-json.ts';
export { currentWorkSignal, withWorkSignal } from './work-signal.ts';
export { booleanSetting, integerSetting, listSetting, podNamespace, SettingError } from './settings.ts';
