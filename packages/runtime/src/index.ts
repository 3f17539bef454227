export { backoffDelay, type BackoffPolicy } from './backoff.ts';
export {
  createLogger,
  parseLogLevel,
  silentLogger,
  type LogFields,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from './logger.ts';
export { REDACTED, isSecretField, redactFields, redactText } from './redact.ts';
