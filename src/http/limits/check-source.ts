import { GraphQLError, parse } from 'graphql';
import { checkDocumentText } from './document-text.js';
import { queryLimits, type QueryLimits } from './query-limits.js';

/**
 * For graphql-ws, before it parses: refuses a source over the size limits, or one that does not parse
 * (GRAPHQL_PARSE_FAILED), as an error of that operation. (graphql-ws would close the whole socket with
 * 4500 on a syntax error, ending the client's other subscriptions.)
 * @param limits @default queryLimits
 */
export function checkSource(source: string, limits: QueryLimits = queryLimits): GraphQLError | undefined {
  const tooLarge = checkDocumentText(source, limits);
  if (tooLarge) return tooLarge;
  try {
    parse(source, { maxTokens: limits.tokens, noLocation: true });
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return new GraphQLError(error.message, {
      source: error.source,
      positions: error.positions,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  }
}
