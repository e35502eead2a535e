import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assembleApp, type App, type AssemblyOptions } from './assemble.js';
import { startApollo } from './http/apollo.js';
import { serveEventStream } from './http/event-stream.js';
import { socketLimits, type SocketLimits } from './http/transport-limits.js';
import { queryLimits, type QueryLimits } from './http/limits.js';
import type { PersistedQueryOptions } from './http/persisted-queries.js';
import { compiledPages } from './http/compiled-pages.js';
import { pageCache } from './http/page-cache.js';
import type { TrustedDocuments } from './http/trusted-documents.js';
import { clientIpOf, createWeb } from './http/web.js';
import { serveWebSocket } from './http/websocket.js';
import { createLog, type Log } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { buildThreadSchema } from './schema.js';

/** How to serve: what to assemble (see {@link AssemblyOptions}), and where and how to listen. */
export interface AppOptions extends AssemblyOptions {
  /** The port to listen on; 0 picks a free one, which `url` then names. @default 0 */
  port?: number;
  /** The interface to listen on; `0.0.0.0` is every IPv4 one, and `url` then says `localhost`. @default '127.0.0.1' */
  host?: string;
  /**
   * `development` sends stack traces with errors; `production` leaves schema suggestions ("Did you
   * mean …?") out of validation errors. Internal errors are masked whatever it says. @default 'production'
   */
  nodeEnv?: string;
  /**
   * Express's `trust proxy`: whom to believe about the client's address in `X-Forwarded-For`, over
   * HTTP and WebSocket alike (`true`, a number of hops, or addresses and subnets). @default false
   */
  trustProxy?: boolean | number | string;
  /** Origins whose browser scripts may call /graphql (CORS): `*` or a list of origins. @default '*' */
  corsOrigins?: '*' | string[];
  /** Overrides of the transports' limits. @default {@link socketLimits} */
  socketLimits?: Partial<SocketLimits>;
  /** What a GraphQL document may ask for, over HTTP and WebSocket alike. @default {@link queryLimits} */
  queryLimits?: QueryLimits;
  /**
   * Most bytes of anonymous thread pages kept in memory (see {@link pageCache}); 0 keeps none, so
   * every read runs. @default 0
   */
  pageCacheBytes?: number;
  /**
   * Answer thread pages (the `question(id:)` documents src/http/compiled-pages.ts accepts) from one
   * SQL statement that writes their JSON; false runs every operation through graphql-js. @default true
   */
  compiledPages?: boolean;
  /** Where operations and failures are logged. @default a silent log */
  log?: Log;
  /** Where automatic persisted queries are kept. @default in this process's memory */
  persistedQueries?: PersistedQueryOptions;
  /**
   * The only documents served, over HTTP, WebSocket and Server-Sent Events, named by id or sent in
   * full (see src/http/trusted-documents.ts); automatic persisted queries and GraphiQL are then off.
   * @default undefined: any document
   */
  trustedDocuments?: TrustedDocuments;
  /**
   * How long `close()` keeps serving everything, with /readyz answering 503, before it stops
   * accepting: the time a balancer polling /readyz needs to stop sending. @default 0
   */
  shutdownDelayMs?: number;
  /**
   * Serve GET /metrics on this port; false where a port of its own serves `metrics` (METRICS_PORT).
   * @default true
   */
  metricsOnPort?: boolean;
}

/** A listening app. */
export interface RunningApp {
  /**
   * `http://host:port`, where /graphql (HTTP and WebSocket), /graphql/stream (Server-Sent Events),
   * /healthz and /readyz answer.
   */
  url: string;
  /** The services and streams the server resolves with, for callers that act as it does (tests). */
  app: App;
  /** What /metrics shows: this app's operations, sockets and pools, and the process's defaults. */
  metrics: Metrics;
  /**
   * Turns /readyz to 503 and, after `shutdownDelayMs`, stops accepting, ends event streams, closes WebSockets with 1001 and drains HTTP requests in flight, then closes the
   * sessions' listener, the pub/sub and the rate limits. The database stays open: its opener closes it.
   */
  close(): Promise<void>;
}

/**
 * Assembles the app over `options.db` and serves GraphQL over HTTP and WebSocket on one port, path
 * /graphql, plus /healthz, /readyz, /metrics and GraphiQL; resolves once it listens. If listening fails,
 * what was started is closed and the error rethrown.
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const limits: SocketLimits = { ...socketLimits, ...options.socketLimits };
  const nodeEnv = options.nodeEnv ?? 'production';
  const log = options.log ?? createLog('silent');
  const documentLimits = options.queryLimits ?? queryLimits;
  const assembled = await assembleApp(options);
  const { app } = assembled;
  const metrics = createMetrics(app.db);
  const schema = await buildThreadSchema(assembled.realtime.pubsub);
  const httpServer = createServer();
  const apollo = await startApollo({
    schema,
    httpServer,
    log,
    rateLimits: app.rateLimits,
    nodeEnv,
    queryLimits: documentLimits,
    persistedQueries: options.trustedDocuments ? false : options.persistedQueries,
    metrics,
  });
  let stopping = false;
  const stream = serveEventStream({
    app,
    schema,
    log,
    limits,
    nodeEnv,
    queryLimits: documentLimits,
    metrics,
  });
  const web = createWeb({
    accepting: () => !stopping,
    redisReachable: assembled.realtime.reachable,
    app,
    apollo,
    stream: stream.handler,
    log,
    trustProxy: options.trustProxy ?? false,
    httpBodyBytes: limits.httpBodyBytes,
    queryLimits: documentLimits,
    corsOrigins: options.corsOrigins,
    trustedDocuments: options.trustedDocuments,
    pageCache: pageCache({
      schema,
      db: app.db,
      rateLimits: app.rateLimits,
      maxBytes: options.pageCacheBytes ?? 0,
      metrics,
    }),
    compiledPages:
      options.compiledPages === false
        ? undefined
        : compiledPages({
            schema,
            db: app.db,
            sessions: app.sessions,
            rateLimits: app.rateLimits,
            queryLimits: documentLimits,
            metrics,
            log,
          }),
    metrics: options.metricsOnPort === false ? undefined : metrics.text,
  });
  httpServer.on('request', web);
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((listening, failed) => {
      httpServer.once('error', failed);
      httpServer.listen(options.port ?? 0, host, () => {
        httpServer.off('error', failed);
        listening();
      });
    });
  } catch (error) {
    stream.close();
    await apollo.stop();
    await assembled.close();
    throw error;
  }
  // Attached once listening (no I/O runs before this continuation), so that a port already taken is
  // the listen's error alone, not also an error of the WebSocket server.
  const sockets = serveWebSocket({
    app,
    schema,
    httpServer,
    limits,
    nodeEnv,
    queryLimits: documentLimits,
    clientIpOf: clientIpOf(web),
    log,
    trustedDocuments: options.trustedDocuments,
    metrics,
    delivery: assembled.realtime.delivery,
  });
  const close = async () => {
    stopping = true;
    // /readyz answers 503 from here; the rest is still served until balancers have seen it.
    if (options.shutdownDelayMs) await new Promise((wait) => setTimeout(wait, options.shutdownDelayMs));
    stream.close();
    await Promise.all([sockets.close(), apollo.stop()]);
    await assembled.close();
  };
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}`, app, metrics, close };
}
