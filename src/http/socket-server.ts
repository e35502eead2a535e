import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Log } from '../log.js';
import { deliveryLanes, type DeliveryLanes } from '../realtime/slices.js';

/** How {@link serveSockets} runs graphql-ws over a `ws` server. */
export interface SocketServerOptions<E> {
  /** The `ctx.extra` of a new socket; what it keeps of `request` lives as long as the socket. */
  extraOf(socket: WebSocket, request: IncomingMessage): E;
  /** `connection_init` must come within this, else the socket closes with 4408. */
  connectionInitMs: number;
  /**
   * Every socket is pinged this often, and terminated when it has not answered the previous ping.
   * @default 12000, as graphql-ws/use/ws
   */
  keepAliveMs?: number;
  /** Where the pings queue, as the sockets' other writes do. @default lanes of its own */
  delivery?: Pick<DeliveryLanes, 'write'>;
  /** `production` keeps internal error text out of close reasons. */
  nodeEnv: string;
  /** Where internal errors of sockets are logged. */
  log: Log;
}

/**
 * One socket as graphql-ws sees it: methods on a prototype rather than closures of its own, as it
 * lives as long as the socket.
 */
class Connection {
  /** graphql-ws's handler of each incoming message. */
  receive: ((data: string) => Promise<void>) | null = null;
  /** What graphql-ws does once the socket closed. */
  closed: ((code: number, reason: string) => Promise<void>) | null = null;
  /** Until `connection_init` comes: the timer that closes the socket with 4408. */
  initWait: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly socket: WebSocket) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== this.socket.OPEN) return resolve();
      this.socket.send(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(receive: (data: string) => Promise<void>): void {
    this.receive = receive;
  }

  /** connection_init came, or the socket closed: the 4408 timer is no longer needed. */
  stopInitWait(): void {
    if (this.initWait) clearTimeout(this.initWait);
    this.initWait = null;
  }
}

/**
 * Serves graphql-ws (`options`, as for its `makeServer`) on `wsServer`, as graphql-ws/use/ws does,
 * with the same close codes, keep-alive and connection-init timeout, but holding less per socket for
 * as long as it is open: one shared timer pings every socket (use/ws: an interval per socket), the
 * connection-init timer is let go once `connection_init` came, listeners are shared functions, and
 * an incoming message is handed over parsed, so that a running subscription keeps no copy of the
 * message's text or bytes. Resolves `dispose()` once the server is closed.
 */
export function serveSockets<P extends Record<string, unknown> | undefined, E extends { socket: WebSocket }>(
  options: ServerOptions<P, E>,
  wsServer: WebSocketServer,
  settings: SocketServerOptions<E>,
): { dispose(): Promise<void> } {
  const { log, connectionInitMs, keepAliveMs = 12_000, delivery = deliveryLanes() } = settings;
  const isProd = settings.nodeEnv === 'production';
  const connections = new WeakMap<WebSocket, Connection>();
  const closeReason = (error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    return isProd || text.length >= 124 ? 'Internal server error' : text;
  };
  const internalError = (socket: WebSocket, what: string, error: unknown) => {
    log.error(what, { error: error instanceof Error ? error.stack : String(error) });
    socket.close(CloseCode.InternalServerError, closeReason(error));
  };
  const server = makeServer<P, E>({
    ...options,
    // Timed here, so that the timer goes once connection_init came (see Connection.initWait).
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      connections.get(ctx.extra.socket)?.stopInitWait();
      return options.onConnect?.(ctx);
    },
  });

  function onMessage(this: WebSocket, data: RawData): void {
    const connection = connections.get(this);
    if (!connection?.receive) return;
    const text = String(data);
    let message: unknown = text;
    try {
      message = JSON.parse(text);
    } catch {
      // Handed as text: graphql-ws closes the socket with 4400.
    }
    // graphql-ws's parseMessage takes a parsed message as well as its text.
    connection
      .receive(message as string)
      .catch((error: unknown) => internalError(this, 'websocket message failed', error));
  }
  function onError(this: WebSocket, error: Error): void {
    internalError(this, 'websocket failed', error);
  }
  function onClose(this: WebSocket, code: number, reason: Buffer): void {
    const connection = connections.get(this);
    if (!connection) return;
    connection.stopInitWait();
    connection
      .closed?.(code, String(reason))
      .catch((error: unknown) => log.error('websocket close failed', { error: String(error) }));
  }
  const awaitingPong = new WeakSet<WebSocket>();
  function onPong(this: WebSocket): void {
    awaitingPong.delete(this);
  }

  wsServer.options.handleProtocols = handleProtocols;
  wsServer.once('error', (error: Error) => {
    log.error('websocket server failed', { error: error.stack });
    for (const socket of wsServer.clients) socket.close(CloseCode.InternalServerError, closeReason(error));
  });
  wsServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const connection = new Connection(socket);
    connections.set(socket, connection);
    socket.on('error', onError);
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('pong', onPong);
    connection.closed = server.opened(connection, settings.extraOf(socket, request));
    // graphql-ws has closed it already when its subprotocol is not graphql-transport-ws.
    if (connection.receive && connectionInitMs > 0 && Number.isFinite(connectionInitMs)) {
      connection.initWait = setTimeout(() => {
        connection.initWait = null;
        socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
      }, connectionInitMs);
    }
  });

  // A socket that has not answered the last ping by the next is gone: terminated, so that its
  // subscriptions end. Pinged in slices, so that thousands of sockets do not hold up the loop.
  const keepAlive = () => {
    for (const socket of wsServer.clients) {
      delivery.write(() => {
        if (socket.readyState !== socket.OPEN) return;
        if (awaitingPong.has(socket)) return socket.terminate();
        awaitingPong.add(socket);
        socket.ping();
      });
    }
  };
  const pinging = keepAliveMs > 0 && Number.isFinite(keepAliveMs) ? setInterval(keepAlive, keepAliveMs) : null;
  pinging?.unref();

  return {
    dispose: async () => {
      if (pinging) clearInterval(pinging);
      for (const socket of wsServer.clients) socket.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
