import {
  getOperationAST,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '../assemble.js';
import type { Sessions } from '../auth/sessions.js';
import type { Viewer } from '../auth/viewer.js';
import { createContext, type Context } from '../context.js';
import type { DeliveryLanes } from '../realtime/slices.js';
import type { Backlog } from '../realtime/stream.js';
import { maskError } from '../errors/format.js';
import { ApiError, BadUserInputError } from '../errors/index.js';
import { lastingUuid } from '../ids.js';
import { textFrame, writeFrame } from './frames.js';
import { documentCache, sharedSubscriptions, type Outlet } from './fan-out.js';
import { validateWithLimits, type QueryLimits } from './limits.js';
import type { SocketLimits } from './transport-limits.js';
import type { Log } from '../log.js';
import type { Metrics } from '../metrics.js';
import { logSockets } from './socket-log.js';
import { serveSockets } from './socket-server.js';
import type { TrustedDocuments } from './trusted-documents.js';

/** What GraphQL over WebSocket (graphql-transport-ws, path /graphql) is served with. */
export interface WebSocketOptions {
  app: App;
  schema: GraphQLSchema;
  /** The server whose upgrades to /graphql become sockets. */
  httpServer: Server;
  limits: SocketLimits;
  /** `production` hides schema suggestions from validation errors. */
  nodeEnv: string;
  /** What a subscribed document may ask for, as over HTTP. */
  queryLimits: QueryLimits;
  /** The client's address, as the HTTP transport believes it (see Express's `trust proxy`). */
  clientIpOf(request: IncomingMessage): string;
  /** Where connections and operations are logged (see logSockets). */
  log: Log;
  /**
   * The only documents a `subscribe` may run, named by `documentId` or `extensions.persistedQuery`
   * (with `query: ""`, which graphql-ws requires) or sent in full. @default any
   */
  trustedDocuments?: TrustedDocuments;
  /** Where sockets, operations, subscriptions and deliveries are counted. */
  metrics: Metrics;
  /** Where pushed messages queue for their sockets, behind the hand-outs of the events (see deliveryLanes). */
  delivery: Pick<DeliveryLanes, 'write'>;
}

/** Who is at the other end of a socket, as onConnect found it. */
interface Caller {
  viewer: Viewer | null;
  /** The `Authorization` of `connection_init`, read again for each operation (see {@link viewerNow}). */
  authorization: string | undefined;
}

/** What graphql-ws's handlers know of a socket (`ctx.extra`): no more of its upgrade request than the address. */
interface SocketExtra {
  socket: WebSocket;
  clientIp: string;
  caller?: Caller;
}

/** The `Authorization` value of a graphql-ws `connection_init` payload. */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The caller's viewer with the role and suspension they have now, so that a change of standing
 * applies to the next operation on an open socket; the sessions keep it read, and drop it when the
 * standing changes. A token that no longer resolves keeps the viewer onConnect found: revocation
 * ends the socket's subscriptions by its own path.
 */
async function viewerNow(sessions: Sessions, caller: Caller): Promise<Viewer | null> {
  if (caller.viewer === null) return null;
  try {
    return (await sessions.viewerOf(caller.authorization)) ?? caller.viewer;
  } catch (error) {
    if (error instanceof ApiError) return caller.viewer;
    throw error;
  }
}

/** A result as WebSocket and event-stream clients get it: errors without a contract code masked (see maskError). */
export function maskedResult({ errors, ...rest }: ExecutionResult): FormattedExecutionResult {
  return errors ? { ...rest, errors: errors.map((error) => maskError(error.toJSON(), error)) } : rest;
}

/**
 * Serves GraphQL over WebSocket: authenticates each socket once, in onConnect; checks each
 * operation's document and the socket's count of operations; pushes each event's results once per
 * distinct operation (see sharedSubscriptions), bounded per socket.
 * `close()` closes every socket with 1001 and resolves once all are gone.
 */
export function serveWebSocket(options: WebSocketOptions): { close(): Promise<void> } {
  const { app, schema, limits } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: limits.socketMessageBytes,
    perMessageDeflate: false,
  });
  const socketLog = logSockets(wsServer, options.log, options.clientIpOf, options.metrics);
  const { delivered } = options.metrics;
  /** Closes a socket whose reader does not keep up, rather than holding its messages without bound. */
  const closeSlowConsumer = (socket: WebSocket) => {
    if (socket.readyState === socket.OPEN) socketLog.tooSlow(socket);
    socket.close(1008, 'Slow consumer: messages were not read in time');
  };
  const subscribeShared = sharedSubscriptions(maskedResult, (context, event) => (context as Context).forEvent(event));
  // Pushed results go out in slices, so that a hot thread's delivery does not hold up the rest.
  const { write } = options.delivery;
  // Each pushed message's frame, made once for all the sockets it goes to; kept as long as the message is.
  const frames = new WeakMap<Buffer, Buffer>();
  const frameOf = (message: Buffer) => {
    let frame = frames.get(message);
    if (frame === undefined) frames.set(message, (frame = textFrame(message)));
    return frame;
  };
  /**
   * Where one subscription's pushed results are written, and what is done when its reader falls
   * behind: a class, so that each of thousands of idle watchers holds two fields, not closures.
   */
  class SocketOutlet implements Outlet, Backlog {
    constructor(
      readonly id: string,
      private readonly socket: WebSocket,
    ) {}

    get maxPending(): number {
      return limits.pendingEventsPerOperation;
    }

    overflow(): void {
      closeSlowConsumer(this.socket);
    }

    /** In its turn of `write`; a socket holding more than `bufferedBytesPerSocket` unsent bytes is closed first, and the message dropped. */
    send(message: Buffer, sent: () => void): void {
      delivered();
      const { socket } = this;
      write(() => {
        if (socket.bufferedAmount > limits.bufferedBytesPerSocket) closeSlowConsumer(socket);
        // A text frame, as graphql-transport-ws requires, though the bytes are a Buffer.
        if (socket.readyState === socket.OPEN && !writeFrame(socket, frameOf(message))) {
          socket.send(message, { binary: false });
        }
        sent();
      });
    }
  }
  // Where each subscription's pushed results are written, by its context.
  const outlets = new WeakMap<Context, Outlet>();
  const documentOf = documentCache(
    schema,
    validateWithLimits({ limits: options.queryLimits, hideSuggestions: options.nodeEnv === 'production' }),
    options.queryLimits,
  );
  const cleanup = serveSockets<Record<string, unknown>, SocketExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const authorization = authorizationOf(ctx.connectionParams);
          const viewer = await app.sessions.viewerOf(authorization);
          // Who the socket is: each operation's context is made from it, its standing read again.
          ctx.extra.caller = { viewer, authorization };
          return true;
        } catch (error) {
          if (error instanceof ApiError) return false;
          throw error;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        socketLog.started(ctx.extra.socket, id, payload.operationName);
        const refuse = (errors: readonly GraphQLError[]) => {
          socketLog.ended(
            ctx.extra.socket,
            id,
            errors.map((error) => error.extensions?.code),
          );
          return errors;
        };
        const source = options.trustedDocuments?.sourceOf(payload) ?? payload.query;
        if (typeof source !== 'string') return refuse([source]);
        const checked = documentOf(source);
        if ('errors' in checked) return refuse(checked.errors);
        // graphql-ws has already registered the operation being checked.
        const active = Object.keys(ctx.subscriptions).length - 1;
        if (active >= limits.subscriptionsPerSocket) {
          return refuse([
            new BadUserInputError(`A socket holds at most ${limits.subscriptionsPerSocket} active operations`, {
              field: 'subscription',
              rule: 'perSocket',
              max: limits.subscriptionsPerSocket,
            }),
          ]);
        }
        socketLog.accepted(ctx.extra.socket, id, getOperationAST(checked.document, payload.operationName) ?? null);
        // graphql-ws keeps the message as long as the operation runs: let it hold the cache's copy of the text.
        if (payload.query === checked.source) (payload as { query: string }).query = checked.source;
        return {
          schema,
          document: checked.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
      },
      subscribe: (args) => subscribeShared(args, outlets.get(args.contextValue as Context)),
      context: async (ctx, id) => {
        const caller = ctx.extra.caller as Caller;
        const viewer = await viewerNow(app.sessions, caller);
        const outlet = new SocketOutlet(id, ctx.extra.socket);
        const context = createContext(app, viewer, lastingUuid(), ctx.extra.clientIp, outlet);
        outlets.set(context, outlet);
        return context;
      },
      onComplete: (ctx, id) => socketLog.ended(ctx.extra.socket, id),
      onNext: (_ctx, _id, _payload, _args, result) => maskedResult(result),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => maskError(error.toJSON(), error)),
    },
    wsServer,
    {
      extraOf: (socket, request) => ({ socket, clientIp: options.clientIpOf(request), caller: undefined }),
      connectionInitMs: limits.connectionInitMs,
      delivery: options.delivery,
      nodeEnv: options.nodeEnv,
      log: options.log,
    },
  );
  return {
    close: async () => {
      for (const socket of wsServer.clients) socket.close(1001, 'Server shutting down');
      await cleanup.dispose();
    },
  };
}
