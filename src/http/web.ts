import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { App } from '../assemble.js';
import { createContext, type Context } from '../context.js';
import { ApiError } from '../errors/index.js';
import type { Log } from '../log.js';
import { csrfPrevention } from './csrf.js';
import { answerMetrics } from './metrics.js';
import { graphiqlRouter } from './graphiql.js';
import { refuseBadPersistedQueries } from './persisted-queries.js';
import { refuseLargeDocuments, type QueryLimits } from './limits.js';
import { trustedDocumentsOnly, type TrustedDocuments } from './trusted-documents.js';

/** What the HTTP routes are served with. */
export interface WebOptions {
  app: App;
  /** Started; answers POST /graphql. */
  apollo: ApolloServer<Context>;
  /** Answers /graphql/stream (see serveEventStream). */
  stream: RequestHandler;
  log: Log;
  /** Express's `trust proxy`, for the client's address. */
  trustProxy: boolean | number | string;
  /** Largest request body; past it, 413. */
  httpBodyBytes: number;
  /** A document over their length or token limit is refused before it is parsed. */
  queryLimits: QueryLimits;
  /** False once shutdown begins: /readyz then answers 503 so balancers stop sending. @default always true */
  accepting?: () => boolean;
  /** False while the Redis that carries events is out of reach: /readyz then answers 503. @default always true */
  redisReachable?: () => boolean;
  /** Origins whose scripts may call /graphql: `*` or a list. @default '*' */
  corsOrigins?: '*' | string[];
  /** Answers the anonymous thread pages it holds, before Apollo (see src/http/page-cache.ts). */
  pageCache: RequestHandler;
  /** Answers thread pages from one statement, before Apollo (see src/http/compiled-pages.ts). @default none */
  compiledPages?: RequestHandler;
  /** The only documents /graphql and /graphql/stream run; GraphiQL is then not served. @default any */
  trustedDocuments?: TrustedDocuments;
  /** The text of GET /metrics; without it, /metrics is not served here (METRICS_PORT serves it). */
  metrics?: () => Promise<string>;
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

/**
 * Gives each request to /graphql an id, in `res.locals.requestId` and the `x-request-id` header, and
 * logs it with the status when refused (4xx, 5xx): refusals made before Apollo (bodies, batches,
 * long documents, CSRF, revoked tokens) reach no operation log line otherwise.
 */
function requestIds(log: Log): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    res.once('finish', () => {
      if (res.statusCode >= 400) log.info('request refused', { requestId, status: res.statusCode, method: req.method });
    });
    next();
  };
}

/**
 * The HTTP side: /healthz, /readyz (the database and Redis, if any, answer and shutdown has not
 * begun), /metrics, GraphiQL, /graphql/stream, and /graphql behind request ids, CORS, CSRF
 * prevention, the body's size and shape checks, with an error handler that answers in GraphQL's shape.
 */
export function createWeb(options: WebOptions): Express {
  const { app, log } = options;
  const web = express();
  web.set('trust proxy', options.trustProxy);
  // An ETag would hash every response body; the page cache gives its pages theirs.
  web.set('etag', false);
  web.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  web.get('/readyz', async (_req, res) => {
    if (options.accepting?.() === false) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    if (options.redisReachable?.() === false) {
      res.status(503).json({ status: 'redis unavailable' });
      return;
    }
    try {
      await app.db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  if (options.metrics) web.get('/metrics', answerMetrics(options.metrics));
  // Before GraphiQL's GET /graphql, whose router would answer a preflight OPTIONS itself, without CORS.
  web.use('/graphql', cors({ origin: options.corsOrigins ?? '*', exposedHeaders: ['x-request-id'] }));
  // With trusted documents alone, GraphiQL could run nothing, not even its introspection.
  if (!options.trustedDocuments) web.use(graphiqlRouter(app.db));
  const trusted: RequestHandler[] = options.trustedDocuments ? [trustedDocumentsOnly(options.trustedDocuments)] : [];
  // Before /graphql, whose routes would take /graphql/stream as a path under them.
  web.use(
    '/graphql/stream',
    requestIds(log),
    express.json({ limit: options.httpBodyBytes }),
    ...trusted,
    options.stream,
  );
  web.use(
    '/graphql',
    requestIds(log),
    csrfPrevention,
    express.json({ limit: options.httpBodyBytes }),
    refuseBatches,
    ...trusted,
    refuseBadPersistedQueries,
    refuseLargeDocuments(options.queryLimits),
    options.pageCache,
    ...(options.compiledPages ? [options.compiledPages] : []),
    expressMiddleware(options.apollo, {
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
  web.use('/graphql', bodyErrorHandler(log, options.httpBodyBytes));
  return web;
}

/** The client's address of a request that did not go through `web` (a WebSocket upgrade), as `web` would say. */
export function clientIpOf(web: Express): (request: IncomingMessage) => string {
  return (request) => proxyaddr(request, web.get('trust proxy fn'));
}
