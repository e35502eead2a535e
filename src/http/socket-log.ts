import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { lastingUuid } from '../ids.js';
import type { Log } from '../log.js';

/** What the log knows of one socket: its id, and when each of its operations started. */
interface SocketEntry {
  id: string;
  started: Map<string, number>;
}

/** Logs of WebSocket connections and their operations, each with the socket's id. */
export interface SocketLog {
  /** An operation `operationId` of `socket` began. */
  started(socket: WebSocket, operationId: string, operationName: string | null | undefined): void;
  /** It ended (completed by either side, or refused when `refused` names the codes); logs its duration. */
  ended(socket: WebSocket, operationId: string, refused?: unknown[]): void;
}

/**
 * Logs each connection of `wsServer` when it opens (id, address) and closes (id, close code,
 * duration). One entry per socket and per operation: nothing runs per message or per event.
 */
export function logSockets(
  wsServer: WebSocketServer,
  log: Log,
  clientIpOf: (request: IncomingMessage) => string,
): SocketLog {
  const entries = new WeakMap<WebSocket, SocketEntry>();
  wsServer.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const entry: SocketEntry = { id: lastingUuid(), started: new Map() };
    const opened = performance.now();
    entries.set(socket, entry);
    log.info('websocket opened', { socketId: entry.id, clientIp: clientIpOf(request) });
    socket.once('close', (code: number) => {
      const durationMs = Math.round(performance.now() - opened);
      log.info('websocket closed', { socketId: entry.id, code, durationMs, openOperations: entry.started.size });
    });
  });
  return {
    started: (socket, operationId, operationName) => {
      const entry = entries.get(socket);
      if (!entry) return;
      entry.started.set(operationId, performance.now());
      log.info('websocket operation', { socketId: entry.id, operationId, operationName: operationName ?? null });
    },
    ended: (socket, operationId, refused) => {
      const entry = entries.get(socket);
      const started = entry?.started.get(operationId);
      if (!entry || started === undefined) return;
      entry.started.delete(operationId);
      const durationMs = Math.round(performance.now() - started);
      log.info('websocket operation ended', { socketId: entry.id, operationId, durationMs, refused });
    },
  };
}
