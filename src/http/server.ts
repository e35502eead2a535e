import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Viewer } from '../auth/viewer.js';
import { createContext, type App, type Context } from '../context.js';
import { codeOf, maskError } from '../errors/format.js';
import { ApiError, BadUserInputError, RateLimitedError } from '../errors/index.js';
import type { RateLimits } from '../services/rate-limits.js';
import { csrfPrevention } from './csrf.js';
import { persistedQueries, refuseBadPersistedQueries, type PersistedQueryOptions } from './persisted-queries.js';
import { socketLimits, type SocketLimits } from './transport-limits.js';
import { graphiqlRouter } from './graphiql.js';
import { documentCache, sharedSubscriptions, type Outlet } from './fan-out.js';
import {
  operationCost,
  queryLimitRules,
  queryLimits,
  refuseLargeDocuments,
  validateWithLimits,
  withLimitCodes,
} from './limits.js';
import type { Log } from '../log.js';

/** Who is at the other end of a socket, as onConnect found it. */
interface Caller {
  viewer: Viewer | null;
  clientIp: string;
}

/** What the HTTP and WebSocket transports need. */
export interface ServerOptions {
  app: App;
  schema: GraphQLSchema;
  log: Log;
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Stack traces reach clients only in `development`. */
  nodeEnv: string;
  /** Express's `trust proxy`, for the client's address over HTTP and WebSocket alike. @default false */
  trustProxy?: boolean | number | string;
  /** Overrides of the WebSocket {@link socketLimits}. */
  socketLimits?: Partial<SocketLimits>;
  /** Where automatic persisted queries are kept (see persistedQueries). @default in memory */
  persistedQueries?: PersistedQueryOptions;
}

/** A listening server. */
export interface RunningServer {
  /** http://host:port */
  url: string;
  /** Stops accepting, closes WebSockets with 1001, drains HTTP. Does not close the database. */
  close(): Promise<void>;
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
          log.info('operation', {
            requestId: contextValue.requestId,
            operationName: request.operationName ?? null,
            durationMs: Math.round(performance.now() - started),
            viewerId: contextValue.viewer?.userId ?? null,
            errorCodes: errors.map((error) => error.extensions?.code),
          });
        },
      };
    },
  };
}

/**
 * Answers a body the JSON parser refused (malformed, too large, wrong charset) the GraphQL-over-HTTP
 * way: the parser's status, a JSON `errors` list with a contract code.
 */
function bodyErrorHandler(log: Log, maxBytes: number): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? 500;
    const requestId = res.locals.requestId as string;
    if (status >= 500) log.error('request failed', { requestId, error: String(error) });
    const message =
      error.type === 'entity.too.large'
        ? `The request body is larger than ${Math.round(maxBytes / 1024)} KiB`
        : error.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON'
          : status >= 500
            ? 'Internal server error'
            : 'The request body could not be read';
    const code = status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';
    res.status(status).json({ errors: [{ message, extensions: { code, requestId } }] });
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

/** One operation per request: a JSON array (a batch) is refused, with the request id like every error. */
const refuseBatches: RequestHandler = (req, res, next) => {
  if (!Array.isArray(req.body)) return next();
  res.status(400).json({
    errors: [
      {
        message: 'Batched requests are not supported: send one operation per request',
        extensions: { code: 'BAD_USER_INPUT', requestId: res.locals.requestId as string },
      },
    ],
  });
};

/** The `Authorization` value of a graphql-ws `connection_init` payload. */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** Closes a socket whose reader does not keep up, rather than holding its messages without bound. */
function closeSlowConsumer(socket: WebSocket): void {
  socket.close(1008, 'Slow consumer: messages were not read in time');
}

/**
 * Sends one message, resolving once the socket took it (at once when it is closing); a socket
 * holding more than `bufferedBytesPerSocket` unsent bytes is closed first, and the message dropped.
 */
function sendBounded(socket: WebSocket, message: Buffer, limits: SocketLimits): Promise<void> {
  if (socket.bufferedAmount > limits.bufferedBytesPerSocket) closeSlowConsumer(socket);
  return new Promise((resolve, reject) => {
    if (socket.readyState !== socket.OPEN) return resolve();
    // A text frame, as graphql-transport-ws requires, though the bytes are a Buffer.
    socket.send(message, { binary: false }, (error) => (error ? reject(error) : resolve()));
  });
}

/** A result as WebSocket clients get it: errors without a contract code masked (see maskError). */
function maskedResult({ errors, ...rest }: ExecutionResult): FormattedExecutionResult {
  return errors ? { ...rest, errors: errors.map((error) => maskError(error.toJSON(), error)) } : rest;
}

/** Starts GraphQL over HTTP and WebSocket on one port, path /graphql, plus /healthz and /readyz. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const limits: SocketLimits = { ...socketLimits, ...options.socketLimits };
  const { app, schema, log } = options;
  const { db } = app;
  const web = express();
  web.set('trust proxy', options.trustProxy ?? false);
  // An ETag would hash every response body, and no client revalidates a POSTed query.
  web.set('etag', false);
  const httpServer: Server = createServer(web);
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: limits.socketMessageBytes,
    perMessageDeflate: false,
  });
  const subscribeShared = sharedSubscriptions(maskedResult);
  // Where each subscription's pushed results are written, by its context.
  const outlets = new WeakMap<Context, Outlet>();
  const documentOf = documentCache(schema, validateWithLimits({ hideSuggestions: options.nodeEnv === 'production' }));
  const wsCleanup = useServer<Record<string, unknown>, { caller?: Caller }>(
    {
      schema,
      connectionInitWaitTimeout: limits.connectionInitMs,
      onConnect: async (ctx) => {
        try {
          const viewer = await app.sessions.viewerOf(authorizationOf(ctx.connectionParams));
          const clientIp = proxyaddr(ctx.extra.request, web.get('trust proxy fn'));
          // Who the socket is, once: each operation's context (and loaders) is made from it.
          ctx.extra.caller = { viewer, clientIp };
          return true;
        } catch (error) {
          if (error instanceof ApiError) return false;
          throw error;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const checked = documentOf(payload.query);
        if ('errors' in checked) return checked.errors;
        // graphql-ws has already registered the operation being checked.
        const active = Object.keys(ctx.subscriptions).length - 1;
        if (active >= limits.subscriptionsPerSocket) {
          return [
            new BadUserInputError(`A socket holds at most ${limits.subscriptionsPerSocket} active operations`, {
              field: 'subscription',
              rule: 'perSocket',
              max: limits.subscriptionsPerSocket,
            }),
          ];
        }
        return {
          schema,
          document: checked.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      subscribe: (args) => subscribeShared(args, outlets.get(args.contextValue as Context)),
      context: (ctx, id) => {
        const { viewer, clientIp } = ctx.extra.caller as Caller;
        const backlog = {
          maxPending: limits.pendingEventsPerOperation,
          overflow: () => closeSlowConsumer(ctx.extra.socket),
        };
        // Not spread: that would make the context's loaders, which it builds on first use.
        const context = Object.assign(createContext(app, viewer, randomUUID(), clientIp), { backlog });
        outlets.set(context, { id, send: (message) => sendBounded(ctx.extra.socket, message, limits) });
        return context;
      },
      onNext: (_ctx, _id, _payload, _args, result) => maskedResult(result),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => maskError(error.toJSON(), error)),
    },
    wsServer,
  );

  const apq = persistedQueries(options.persistedQueries);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    csrfPrevention: false,
    // The process stops through main.ts's own handlers, which close everything in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.nodeEnv === 'development',
    formatError: withLimitCodes(maskError),
    validationRules: queryLimitRules(),
    parseOptions: { maxTokens: queryLimits.tokens },
    hideSchemaDetailsFromClientErrors: options.nodeEnv === 'production',
    allowBatchedHttpRequests: false,
    persistedQueries: apq.options,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // We set no cache hints; left on, it wraps every field's resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      requestLogPlugin(log),
      queryBudgetPlugin(app.rateLimits),
      apq.plugin,
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  web.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  web.get('/readyz', async (_req, res) => {
    try {
      await db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  web.use(graphiqlRouter(db));
  web.use(
    '/graphql',
    (_req, res, next) => {
      res.locals.requestId = randomUUID();
      res.setHeader('x-request-id', res.locals.requestId);
      next();
    },
    cors({ exposedHeaders: ['x-request-id'] }),
    csrfPrevention,
    express.json({ limit: limits.httpBodyBytes }),
    refuseBatches,
    refuseBadPersistedQueries,
    refuseLargeDocuments(),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        try {
          const viewer = await app.sessions.viewerOf(req.headers.authorization);
          return createContext(app, viewer, requestId, req.ip ?? '');
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          throw new GraphQLError(error.message, {
            extensions: { ...error.extensions, requestId, http: { status: 401 } },
          });
        }
      },
    }),
  );

  web.use('/graphql', bodyErrorHandler(log, limits.httpBodyBytes));

  await new Promise<void>((listening) => httpServer.listen(options.port, options.host, listening));
  const { port } = httpServer.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    close: async () => {
      for (const socket of wsServer.clients) socket.close(1001, 'Server shutting down');
      wsServer.close();
      await apollo.stop();
    },
  };
}
