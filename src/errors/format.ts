import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { driverErrorOf } from '../db/transaction.js';
import { errorCodes, type ErrorCode } from './index.js';

/** Apollo's own codes for requests it could not run: the client's fault, so BAD_USER_INPUT. */
const clientCodes = new Set(['BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE']);

/** The contract code an error goes out with. */
export function codeOf(error: GraphQLFormattedError): ErrorCode {
  const code = String(error.extensions?.code ?? '');
  if (errorCodes.has(code)) return code as ErrorCode;
  return clientCodes.has(code) ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
}

/** Errors of a database that is down or restarting: connection refused, reset or terminated. */
const unavailable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = driverErrorOf(error);
  return (code !== undefined && unavailable.has(code)) || /Connection terminated/.test(message ?? '');
}

/**
 * Lets errors with a known code through, and replaces every other one by a bare
 * INTERNAL_SERVER_ERROR: no message, SQL, stack or path of ours reaches the client. When the
 * database is unreachable it says so (retryable), since the client can do something about it: wait.
 */
export function maskError(error: GraphQLFormattedError, original?: unknown): GraphQLFormattedError {
  const code = codeOf(error);
  if (code === 'INTERNAL_SERVER_ERROR') {
    const down = isDatabaseUnavailable(unwrapResolverError(original));
    return {
      message: down ? 'The database is unavailable: retry in a moment' : 'Internal server error',
      locations: error.locations,
      path: error.path,
      extensions: down ? { code, retryable: true } : { code },
    };
  }
  const { stacktrace: _stack, ...extensions } = error.extensions ?? {};
  return { ...error, extensions: { ...extensions, code } };
}
