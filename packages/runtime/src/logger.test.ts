import { describe, expect, it } from 'vitest';
import { createLogger, parseLogLevel } from './logger.ts';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    component: 'test',
    ...(level ? { level } : {}),
    write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>),
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  return { logger, lines };
}

describe('the logger', () => {
  it('writes one JSON object per line with time, level, component, message and fields', () => {
    const { logger, lines } = capture();
    logger.info('reconciled', { kind: 'ApiV4Definition', name: 'orders' });
    expect(lines).toEqual([
      {
        time: '2026-01-01T00:00:00.000Z',
        level: 'info',
        component: 'test',
        msg: 'reconciled',
        kind: 'ApiV4Definition',
        name: 'orders',
      },
    ]);
  });

  it('drops what is below its level', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((l) => l['msg'])).toEqual(['shown']);
  });

  it('carries the bindings of a child logger', () => {
    const { logger, lines } = capture();
    logger.child({ controller: 'subscription' }).error('failed', { error: new Error('boom') });
    expect(lines[0]).toMatchObject({ controller: 'subscription', error: { name: 'Error', message: 'boom' } });
  });

  it('never writes secret-named fields', () => {
    const { logger, lines } = capture();
    logger.info('context', { auth: { username: 'bob', password: 'hunter2' }, bearerToken: 'abc' });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(JSON.stringify(lines)).not.toContain('"abc"');
  });

  it('reads levels from configuration, falling back when unknown', () => {
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('verbose')).toBe('info');
    expect(parseLogLevel('constructor')).toBe('info');
    expect(parseLogLevel(undefined, 'warn')).toBe('warn');
  });
});
