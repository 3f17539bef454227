// Structured logs: one JSON object per line, with a time, a level, the component, a message and
// fields. Secret-named fields are masked before anything is written.
import { redactFields } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  component: string;
  /** json (default): one object per line; console: `time LEVEL component message {fields}` for people. */
  format?: 'json' | 'console';
  write?: (line: string) => void;
  now?: () => Date;
}

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const level = value?.toLowerCase();
  return level && Object.hasOwn(ORDER, level) ? (level as LogLevel) : fallback;
}

function serialiseError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack.split('\n').slice(0, 8).join('\n') } : {}),
  };
}

export function createLogger(options: LoggerOptions, bindings: LogFields = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (ORDER[level] < threshold) return;
    const entries = Object.fromEntries(
      Object.entries({ ...bindings, ...fields }).map(([k, v]) => [
        k,
        k === 'error' || k === 'err' ? serialiseError(v) : v,
      ]),
    );
    const record = {
      time: now().toISOString(),
      level,
      component: options.component,
      msg: message,
      ...(redactFields(entries) as LogFields),
    };
    const json = (value: unknown) =>
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    if (options.format === 'console') {
      const { time, level: lvl, component, msg, ...rest } = record;
      const extra = Object.keys(rest).length > 0 ? ` ${json(rest)}` : '';
      write(`${time} ${lvl.toUpperCase()} ${component} ${msg}${extra}`);
    } else write(json(record));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (more) => createLogger(options, { ...bindings, ...more }),
  };
}

/** A logger that writes nothing, for tests and tools that do not want logs. */
export const silentLogger: Logger = createLogger({ component: 'silent', write: () => undefined });
