import type { GraphQLFormattedError } from 'graphql';
import { errorCodes, type ErrorCode } from './index.js';

/** Apollo's own codes for requests it could not run: the client's fault, so BAD_USER_INPUT. */
const clientCodes = new Set([
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** The contract code an error goes out with. */
export function codeOf(error: GraphQLFormattedError): ErrorCode {
  const code = String(error.extensions?.code ?? '');
  if (errorCodes.has(code)) return code as ErrorCode;
  return clientCodes.has(code) ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
}

/**
 * Lets errors with a known code through, and replaces every other one by a bare
 * INTERNAL_SERVER_ERROR: no message, SQL, stack or path of ours reaches the client.
 */
export function maskError(error: GraphQLFormattedError): GraphQLFormattedError {
  const code = codeOf(error);
  if (code === 'INTERNAL_SERVER_ERROR') {
    return { message: 'Internal server error', locations: error.locations, path: error.path, extensions: { code } };
  }
  const { stacktrace: _stack, ...extensions } = error.extensions ?? {};
  return { ...error, extensions: { ...extensions, code } };
}
