import { Lexer, Source, TokenKind } from 'graphql';
import { QueryLimitError } from './error.js';
import { queryLimits, type QueryLimits } from './query-limits.js';

/** Counts the tokens of `source`, stopping past `max`; a lexical error ends the count (parsing reports it). */
function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // A syntax error: the parser will refuse the document with GRAPHQL_PARSE_FAILED.
  }
  return count;
}

/**
 * The size limits that can be checked on the text alone, before it is parsed: characters, then tokens
 * (lexed only up to the limit). Returns the refusal, or undefined when the text is within them.
 * @param limits @default queryLimits
 */
export function checkDocumentText(source: string, limits: QueryLimits = queryLimits): QueryLimitError | undefined {
  if (source.length > limits.documentChars)
    return new QueryLimitError('documentChars', source.length, limits.documentChars);
  const tokens = countTokens(source, limits.tokens);
  return tokens > limits.tokens ? new QueryLimitError('tokens', tokens, limits.tokens) : undefined;
}
