import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { QueryLimitError } from './error.js';

/** Apollo's `formatError`. */
type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo answers every validation error as GRAPHQL_VALIDATION_FAILED, overwriting the code of a
 * {@link QueryLimitError}: wraps `formatError` to give such errors their code back (QUERY_TOO_COMPLEX).
 */
export function withLimitCodes(format: FormatError): FormatError {
  return (formatted, error) => {
    const original = error instanceof GraphQLError ? error.originalError : undefined;
    const restored =
      original instanceof QueryLimitError
        ? { ...formatted, extensions: { ...formatted.extensions, code: original.extensions.code } }
        : formatted;
    return format(restored, error);
  };
}
