import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { lastingUuid } from '../ids.js';
import type { Log } from '../log.js';
import type { OperationDefinitionNode } from 'graphql';
import type { Metrics } from '../metrics.js';

/** What the log knows of one socket: its id, when it opened, when each of its operations started, which are live subscriptions. */
interface SocketEntry {
  id: string;
  opened: number;
  started: Map<string, { at: number; name: string | null; subscribed?: true }>;
}

/** Logs and metrics of WebSocket connections and their operations, each with the socket's id. */
export interface SocketLog {
  /** An operation `operationId` of `socket` began. */
  started(socket: WebSocket, operationId: string, operationName: string | null | undefined): void;
  /** It passed the checks and runs `operation` (null: graphql-ws refuses it); counted, and a subscription until it ends. */
  accepted(socket: WebSocket, operationId: string, operation: OperationDefinitionNode | null): void;
  /** It ended (completed by either side, or refused when `refused` names the codes); logs its duration. */
  ended(socket: WebSocket, operationId: string, refused?: unknown[]): void;
  /** The server begins to close `socket` with 1008 because its reader does not keep up. */
  tooSlow(socket: WebSocket): void;
}

/**
 * Logs each connection of `wsServer` when it opens (id, address) and closes (id, close code,
 * duration), and keeps `metrics`' gauges of sockets and subscriptions. One entry per socket and per
 * operation: nothing runs per message or per event.
 */
export function logSockets(
  wsServer: WebSocketServer,
  log: Log,
  clientIpOf: (request: IncomingMessage) => string,
  metrics: Metrics,
): SocketLog {
  const entries = new WeakMap<WebSocket, SocketEntry>();
  // One listener for every socket, rather than a closure kept by each.
  function onClose(this: WebSocket, code: number) {
    const entry = entries.get(this);
    if (!entry) return;
    metrics.websockets.dec();
    const openOperations = entry.started.size;
    for (const operation of entry.started.values()) if (operation.subscribed) metrics.subscriptions.dec();
    entry.started.clear();
    const durationMs = Math.round(performance.now() - entry.opened);
    log.info('websocket closed', { socketId: entry.id, code, durationMs, openOperations });
  }
  wsServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const entry: SocketEntry = { id: lastingUuid(), opened: performance.now(), started: new Map() };
    entries.set(socket, entry);
    metrics.websockets.inc();
    log.info('websocket opened', { socketId: entry.id, clientIp: clientIpOf(request) });
    socket.on('close', onClose);
  });
  return {
    started: (socket, operationId, operationName) => {
      const entry = entries.get(socket);
      if (!entry) return;
      entry.started.set(operationId, { at: performance.now(), name: operationName ?? null });
      log.info('websocket operation', { socketId: entry.id, operationId, operationName: operationName ?? null });
    },
    accepted: (socket, operationId, operation) => {
      const entry = entries.get(socket);
      const started = entry?.started.get(operationId);
      if (!entry || started === undefined) return;
      const name = operation?.name?.value ?? started.name;
      metrics.operation(name, operation?.operation ?? 'unknown', operation ? 'success' : 'error');
      if (operation?.operation !== 'subscription' || socket.readyState !== socket.OPEN) return;
      started.subscribed = true;
      metrics.subscriptions.inc();
    },
    ended: (socket, operationId, refused) => {
      const entry = entries.get(socket);
      const started = entry?.started.get(operationId);
      if (!entry || started === undefined) return;
      entry.started.delete(operationId);
      if (started.subscribed) metrics.subscriptions.dec();
      if (refused) metrics.operation(started.name, 'unknown', 'error');
      const durationMs = Math.round(performance.now() - started.at);
      log.info('websocket operation ended', { socketId: entry.id, operationId, durationMs, refused });
    },
    // Logged when decided: the close itself waits for the reader, up to ws's 30 s close timeout.
    tooSlow: (socket) => log.warn('websocket too slow, closing', { socketId: entries.get(socket)?.id, code: 1008 }),
  };
}
