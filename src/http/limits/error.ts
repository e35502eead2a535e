import { GraphQLError, type ASTNode } from 'graphql';
import type { LimitName } from './query-limits.js';

/** Depth and cost are what the operation asks the server to do; the other limits are about the document. */
const tooComplex: ReadonlySet<LimitName> = new Set<LimitName>(['depth', 'cost']);

/**
 * A document refused by a limit: QUERY_TOO_COMPLEX for depth and cost, GRAPHQL_VALIDATION_FAILED for
 * the others. `extensions` name the `limit`, its `max`, and the measured value under the limit's name
 * (`{ limit: 'cost', max: 50000, cost: 2020200 }`).
 */
export class QueryLimitError extends GraphQLError {
  constructor(limit: LimitName, measured: number, max: number, nodes?: ASTNode) {
    const shown = Number.isFinite(measured) && measured < Number.MAX_SAFE_INTEGER ? measured : Number.MAX_SAFE_INTEGER;
    super(`The query's ${limit} is ${shown.toLocaleString('en')}, over the limit of ${max.toLocaleString('en')}`, {
      nodes,
      extensions: {
        code: tooComplex.has(limit) ? 'QUERY_TOO_COMPLEX' : 'GRAPHQL_VALIDATION_FAILED',
        limit,
        max,
        [limit]: shown,
      },
    });
  }
}
