import { GraphQLError, specifiedRules, validate } from 'graphql';
import { QueryLimitError } from './error.js';
import { queryLimits, type QueryLimits } from './query-limits.js';
import { queryLimitRules } from './rules.js';

/** graphql's "Did you mean …?" at the end of a validation message, which describes the schema. */
const suggestion = / ?Did you mean .+\?$/;

/** How graphql-ws validates. */
export interface ValidateWithLimitsOptions {
  /** @default queryLimits */
  limits?: QueryLimits;
  /** Cut "Did you mean …?" from graphql's messages, as Apollo's `hideSchemaDetailsFromClientErrors` does over HTTP. @default false */
  hideSuggestions?: boolean;
}

/**
 * A `validate` for graphql-ws: graphql's rules and the {@link queryLimitRules}. graphql's own errors
 * get the code GRAPHQL_VALIDATION_FAILED, as over HTTP (graphql-ws sends them without a code).
 */
export function validateWithLimits({
  limits = queryLimits,
  hideSuggestions = false,
}: ValidateWithLimitsOptions = {}): typeof validate {
  const rules = [...specifiedRules, ...queryLimitRules(limits)];
  return (schema, document) =>
    validate(schema, document, rules).map((error) =>
      error instanceof QueryLimitError
        ? error
        : new GraphQLError(hideSuggestions ? error.message.replace(suggestion, '') : error.message, {
            nodes: error.nodes,
            originalError: error.originalError,
            extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
    );
}
