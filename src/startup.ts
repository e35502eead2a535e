import { ConfigError } from './config.js';
import { EmbeddedDatabaseError } from './db/embedded.js';

/** The parts of a Node.js or pg error that say what went wrong where. */
interface SystemError {
  code?: string;
  syscall?: string;
  port?: number;
  address?: string;
  message?: string;
}

/** `postgres://user:secret@host:5432/db` as `host:5432/db`, without the credentials. */
function databaseOf(url: string | undefined): string {
  if (url === undefined) return 'the database';
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Why the service could not start, in one line that says what to do: a bad setting, a port taken,
 * a database out of reach, embedded PostgreSQL unable to run. Anything else is its message.
 * @param databaseUrl the database being opened, named without its password
 */
export function startupFailure(error: unknown, databaseUrl?: string): string {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseError) return error.message;
  const failure = (error ?? {}) as SystemError;
  const message = failure.message ?? String(error);
  if (failure.code === 'EADDRINUSE') {
    return `port ${failure.port ?? ''} is taken by another process: stop it, or set PORT to a free port`;
  }
  if (failure.code === 'EADDRNOTAVAIL' || (failure.code === 'EACCES' && failure.syscall === 'listen')) {
    return `cannot listen on ${failure.address ?? 'HOST'}:${failure.port ?? ''} (${failure.code}): check HOST and PORT`;
  }
  const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'];
  if (failure.code !== undefined && unreachable.includes(failure.code)) {
    return `cannot reach ${databaseOf(databaseUrl)} (${failure.code}): check DATABASE_URL and that PostgreSQL runs`;
  }
  // PostgreSQL's own refusals: 28xxx authentication, 3D000 no such database.
  if (failure.code?.startsWith('28') || failure.code === '3D000') {
    return `${databaseOf(databaseUrl)} refused the connection: ${message}: check DATABASE_URL`;
  }
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return `cannot reach ${databaseOf(databaseUrl)} (${message}): check DATABASE_URL and that PostgreSQL runs`;
  }
  return `failed to start: ${message.split('\n')[0]}`;
}
