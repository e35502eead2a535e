import type { RequestHandler, Response } from 'express';
import { getOperationAST, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { ExecutionResult as StreamResult } from 'graphql-sse';
import { createHandler } from 'graphql-sse/lib/use/express';
import type { App } from '../assemble.js';
import type { Viewer } from '../auth/viewer.js';
import { createContext, type Context } from '../context.js';
import { ApiError } from '../errors/index.js';
import type { Log } from '../log.js';
import type { Metrics } from '../metrics.js';
import { documentCache, sharedSubscriptions } from './fan-out.js';
import { validateWithLimits, type QueryLimits } from './limits.js';
import type { SocketLimits } from './transport-limits.js';
import { maskedResult } from './websocket.js';

/** What GraphQL over Server-Sent Events (graphql-sse, path /graphql/stream) is served with. */
export interface EventStreamOptions {
  app: App;
  schema: GraphQLSchema;
  log: Log;
  /** `pendingEventsPerOperation` bounds a stream's queued events, as it does a WebSocket operation's. */
  limits: SocketLimits;
  /** `production` hides schema suggestions from validation errors. */
  nodeEnv: string;
  /** What a document may ask for, as over HTTP and WebSocket. */
  queryLimits: QueryLimits;
  /** Where operations, subscriptions and deliveries are counted. */
  metrics: Metrics;
}

/** The Express handler of /graphql/stream, and how to end its open streams. */
export interface EventStream {
  handler: RequestHandler;
  /** Ends every open stream: each subscription stops, and the client may reconnect elsewhere. */
  close(): void;
}

/** graphql-sse wants a context it can index; ours is a class with named fields, which it never indexes. */
type StreamContext = Context & Record<PropertyKey, unknown>;

/** Who opened a stream, as onConnect found them. */
interface Caller {
  viewer: Viewer | null;
  requestId: string;
}

/**
 * Serves graphql-sse's protocol in its distinct-connections mode: each operation is one request
 * (GET, or POST with a JSON body) with `Accept: text/event-stream`, answered by a stream of `next`
 * events and a `complete`. The viewer comes from the request's `Authorization` header (a bad token:
 * 401, UNAUTHENTICATED); documents pass the same limits as over WebSocket, and a refusal or any
 * error is a `next` event with the masked errors, codes as everywhere. Pushed events are executed
 * once per distinct operation, with the shared reads of `ctx.forEvent` (see sharedSubscriptions).
 * The single-connection mode is off: its streams live in one process's memory, which a second
 * instance behind a load balancer would not have.
 */
export function serveEventStream(options: EventStreamOptions): EventStream {
  const { app, schema, limits, metrics } = options;
  const open = new Set<Response>();
  // The requests whose stream is a subscription's, whose results are pushed events.
  const subscribed = new WeakSet<object>();
  const callers = new WeakMap<object, Caller>();
  const subscribeShared = sharedSubscriptions(maskedResult, (context, event) => (context as Context).forEvent(event));
  const documentOf = documentCache(
    schema,
    validateWithLimits({ limits: options.queryLimits, hideSuggestions: options.nodeEnv === 'production' }),
    options.queryLimits,
  );
  const handle = createHandler<StreamContext>({
    schema,
    authenticate: () => null,
    // onSubscribe hands over only documents documentOf validated, against the limits as well.
    validate: () => [],
    onConnect: async (req) => {
      const requestId = req.context.res.locals.requestId as string;
      try {
        callers.set(req.raw, {
          viewer: await app.sessions.viewerOf(req.headers.get('authorization') ?? undefined),
          requestId,
        });
        return undefined;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const body = { errors: [{ message: error.message, extensions: { ...error.extensions, requestId } }] };
        return [
          JSON.stringify(body),
          { status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json; charset=utf-8' } },
        ];
      }
    },
    onSubscribe: (req, params) => {
      const checked = documentOf(params.query);
      // graphql-sse takes a result only with a `data` key; undefined, it is left out of the JSON sent.
      if ('errors' in checked) {
        metrics.operation(params.operationName, 'unknown', 'error');
        return { data: undefined, errors: [...checked.errors] };
      }
      const { viewer, requestId } = callers.get(req.raw) as Caller;
      const { res } = req.context;
      const operation = getOperationAST(checked.document, params.operationName);
      metrics.operation(operation?.name?.value ?? params.operationName, operation?.operation ?? 'unknown', 'success');
      if (operation?.operation === 'subscription') {
        subscribed.add(req.raw);
        metrics.subscriptions.inc();
        res.once('close', () => metrics.subscriptions.dec());
      }
      const backlog = { maxPending: limits.pendingEventsPerOperation, overflow: () => res.destroy() };
      const contextValue = createContext(app, viewer, requestId, req.raw.ip ?? '', backlog) as StreamContext;
      return {
        schema,
        document: checked.document,
        operationName: params.operationName,
        variableValues: params.variables,
        contextValue,
      };
    },
    subscribe: (args) => subscribeShared(args),
    // graphql-sse sends results through JSON.stringify: a formatted error goes out as its GraphQLError would.
    onNext: (_ctx, req, result) => {
      if (subscribed.has(req.raw)) metrics.delivered();
      return maskedResult(result as ExecutionResult) as StreamResult;
    },
  });
  const handler: RequestHandler = async (req, res) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    try {
      await handle(req, res);
    } catch (error) {
      options.log.error('event stream failed', { requestId: res.locals.requestId, error: String(error) });
      if (!res.headersSent) res.status(500);
      res.end();
    }
  };
  return {
    handler,
    close: () => {
      for (const res of open) res.end();
    },
  };
}
