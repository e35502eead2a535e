import type { RequestHandler } from 'express';
import { checkDocumentText } from './document-text.js';
import { queryLimits, type QueryLimits } from './query-limits.js';

/** How many accepted document texts {@link refuseLargeDocuments} remembers (at most 15,000 characters each). */
const acceptedTextsKept = 500;

/**
 * Express middleware for the GraphQL endpoint, after the JSON parser: refuses a query over the
 * character or token limit before anything parses it, with status 400 and a GraphQL error body
 * (code GRAPHQL_VALIDATION_FAILED, `extensions.limit`, the request id from `res.locals.requestId`).
 * @param limits @default queryLimits
 */
export function refuseLargeDocuments(limits: QueryLimits = queryLimits): RequestHandler {
  // Clients send the same few documents over and over: each text found within the limits is lexed
  // once. A bounded set, forgotten all at once when full.
  const accepted = new Set<string>();
  return (req, res, next) => {
    const query = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || accepted.has(query)) return next();
    const refusal = checkDocumentText(query, limits);
    if (!refusal) {
      if (accepted.size >= acceptedTextsKept) accepted.clear();
      accepted.add(query);
      return next();
    }
    const requestId = res.locals.requestId as string | undefined;
    res.status(400).json({ errors: [{ message: refusal.message, extensions: { ...refusal.extensions, requestId } }] });
  };
}
