import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Server } from 'node:http';
import type { Context } from '../context.js';
import { codeOf, maskError } from '../errors/format.js';
import { RateLimitedError } from '../errors/index.js';
import type { Log } from '../log.js';
import type { Metrics, OperationType } from '../metrics.js';
import type { RateLimits } from '../services/rate-limits.js';
import { persistedQueries, type PersistedQueryOptions } from './persisted-queries.js';
import { operationCost, queryLimitRules, withLimitCodes, type QueryLimits } from './limits.js';

/** What GraphQL over HTTP is served with. */
export interface ApolloOptions {
  schema: GraphQLSchema;
  /** The server Apollo drains on `stop()`: it stops accepting, then waits for requests in flight. */
  httpServer: Server;
  log: Log;
  /** Each HTTP operation's cost is charged to its client's budget here. */
  rateLimits: RateLimits;
  /** Stack traces reach clients only in `development`; `production` hides schema suggestions. */
  nodeEnv: string;
  /** What a document may ask for: checked while parsing (tokens) and validating (the rest). */
  queryLimits: QueryLimits;
  /** Where each operation is counted and timed. */
  metrics: Metrics;
  /** Where automatic persisted queries are kept (see persistedQueries); false turns them off. @default in memory */
  persistedQueries?: PersistedQueryOptions | false;
}

/** The line logged for every operation answered over HTTP; `started` is when its request arrived. */
export function logOperation(
  log: Log,
  line: {
    requestId: string;
    operationName: string | null;
    started: number;
    viewerId: number | null;
    errorCodes: unknown[];
  },
): void {
  const { started, ...fields } = line;
  log.info('operation', { ...fields, durationMs: Math.round(performance.now() - started) });
}

/**
 * Adds the request id to every error, logs every operation (request id, operation name, duration,
 * viewer, error codes) and, with their stack, the errors that are not the client's fault.
 */
function requestLogPlugin(log: Log): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (codeOf(error) === 'INTERNAL_SERVER_ERROR') {
              const cause = error.originalError ?? error;
              log.error('request failed', {
                requestId: contextValue.requestId,
                operationName: request.operationName,
                error: cause.message,
                stack: cause.stack,
              });
            }
          }
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const error of errors) Object.assign(error.extensions ?? {}, { requestId: contextValue.requestId });
          logOperation(log, {
            requestId: contextValue.requestId,
            operationName: request.operationName ?? null,
            started,
            viewerId: contextValue.viewer?.userId ?? null,
            errorCodes: errors.map((error) => error.extensions?.code),
          });
        },
      };
    },
  };
}

/**
 * Counts each operation by name, type and outcome, and times queries and mutations: one hook per
 * request, nothing per field.
 */
function metricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, request, response }) {
          const type: OperationType = operation?.operation ?? 'unknown';
          // Unresolved (unparsable, invalid), the operation is known only by the name the client sent.
          const name = operationName ?? request.operationName;
          const failed = response.body.kind === 'single' && response.body.singleResult.errors !== undefined;
          const seconds = type === 'unknown' ? undefined : (performance.now() - started) / 1000;
          metrics.operation(name, type, failed ? 'error' : 'success', seconds);
        },
      };
    },
  };
}

/**
 * Charges each HTTP operation's cost (see operationCost) to its client's budget for the minute, before
 * it runs; past the budget the whole request is refused with 429 and RATE_LIMITED.
 */
function queryBudgetPlugin(rateLimits: RateLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operationName, request, schema }) {
          const cost = operationCost(schema, document, { operationName, variables: request.variables });
          try {
            await rateLimits.queryCost(contextValue.clientIp, cost);
          } catch (error) {
            if (!(error instanceof RateLimitedError)) throw error;
            const retryAfter = String(error.retryAfter);
            throw new GraphQLError(error.message, {
              extensions: {
                ...error.extensions,
                http: { status: 429, headers: new Map([['retry-after', retryAfter]]) },
              },
            });
          }
        },
      };
    },
  };
}

/** Starts the Apollo Server that answers GraphQL over HTTP; `stop()` drains `httpServer`. */
export async function startApollo(options: ApolloOptions): Promise<ApolloServer<Context>> {
  const { schema, httpServer, nodeEnv } = options;
  const apq = options.persistedQueries === false ? undefined : persistedQueries(options.persistedQueries);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    csrfPrevention: false,
    // The process stops through main.ts's own handlers, which close everything in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: nodeEnv === 'development',
    formatError: withLimitCodes(maskError),
    validationRules: queryLimitRules(options.queryLimits),
    parseOptions: { maxTokens: options.queryLimits.tokens },
    hideSchemaDetailsFromClientErrors: nodeEnv === 'production',
    allowBatchedHttpRequests: false,
    persistedQueries: apq?.options ?? false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // We set no cache hints; left on, it wraps every field's resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      requestLogPlugin(options.log),
      metricsPlugin(options.metrics),
      queryBudgetPlugin(options.rateLimits),
      ...(apq ? [apq.plugin] : []),
    ],
  });
  await apollo.start();
  return apollo;
}
