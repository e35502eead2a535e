import { pino } from 'pino';

/** Structured log lines: one JSON object per line on stderr, or human lines on a terminal. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** `key=value` pairs of `fields`, strings bare unless they hold a space. */
function humanFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return ` ${key}=${typeof value === 'string' && !/\s/.test(value) ? text : JSON.stringify(text)}`;
    })
    .join('');
}

/** Lines for a person at a terminal: `12:00:01 listening graphql=http://localhost:4000/graphql`. */
function humanLog(level: string): Log {
  const silenced = new Set({ silent: ['info', 'warn', 'error'], error: ['info', 'warn'], warn: ['info'] }[level] ?? []);
  const write = (severity: string, message: string, fields: Record<string, unknown> = {}) => {
    if (silenced.has(severity)) return;
    const time = new Date().toTimeString().slice(0, 8);
    const mark = severity === 'info' ? '' : `${severity.toUpperCase()} `;
    process.stderr.write(`${time} ${mark}${message}${humanFields(fields)}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/**
 * A pino logger on stderr at `level` (`silent` for tests; `Config.logLevel` in the service), or, when
 * `human` (the service on a terminal), plain lines at the same level.
 * @param level @default 'info'
 * @param human @default false
 */
export function createLog(level = 'info', human = false): Log {
  if (human) return humanLog(level);
  const logger = pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 2, sync: true }),
  );
  return {
    info: (message, fields = {}) => logger.info(fields, message),
    warn: (message, fields = {}) => logger.warn(fields, message),
    error: (message, fields = {}) => logger.error(fields, message),
  };
}
