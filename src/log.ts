/** Structured log lines (one JSON object per line on stderr). */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger writing JSON lines; `silent` drops everything (tests). @default LOG_LEVEL=info */
export function createLog(level = process.env.LOG_LEVEL ?? 'info'): Log {
  const write = (lvl: string, message: string, fields: Record<string, unknown> = {}): void => {
    if (level === 'silent' || (level === 'error' && lvl !== 'error')) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, message, ...fields })}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
