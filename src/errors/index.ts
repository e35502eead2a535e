import { GraphQLError } from 'graphql';

/** Every `extensions.code` the API gives, as fixed by the contract. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'INTERNAL_SERVER_ERROR'
  // Apollo's automatic persisted queries: the client sends the document on the first.
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_SUPPORTED';

export const errorCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'INTERNAL_SERVER_ERROR',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** An error the client caused or may act on; its message and extensions reach the client. */
export class ApiError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** What was wrong with an input: which field, which rule it broke. */
export interface InputProblem {
  field: string;
  rule: string;
  [detail: string]: unknown;
}

export class BadUserInputError extends ApiError {
  constructor(message: string, problem: InputProblem) {
    super(message, 'BAD_USER_INPUT', problem);
  }
}

export class NotFoundError extends ApiError {
  constructor(what: string) {
    super(`${what} was not found`, 'NOT_FOUND');
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(message, 'FORBIDDEN');
  }
}

export class UnauthenticatedError extends ApiError {
  constructor(message = 'Sign in to do this: send Authorization: Bearer <token>') {
    super(message, 'UNAUTHENTICATED');
  }
}

/** Too many attempts: `retryAfter` says in how many seconds (at least 1) to try again. */
export class RateLimitedError extends ApiError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message, 'RATE_LIMITED', { retryAfter });
  }
}
