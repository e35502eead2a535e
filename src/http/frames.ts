import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * `message` as one unmasked, final WebSocket text frame (RFC 6455 §5.2), as a server sends it: the
 * same bytes suit every socket, so a message pushed to thousands is framed once.
 */
export function textFrame(message: Buffer): Buffer {
  const length = message.length;
  const header = Buffer.allocUnsafe(length < 126 ? 2 : length < 65_536 ? 4 : 10);
  header[0] = 0x81;
  if (length < 126) header[1] = length;
  else if (length < 65_536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, message]);
}

/** What of ws's WebSocket a frame written past it depends on; not in ws's public types. */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _queue?: unknown[]; _bufferedBytes?: number };
}

/**
 * Writes a whole `frame` (see {@link textFrame}) to the TCP socket under `socket` when ws has nothing
 * of its own queued: it queues only while compressing, which these sockets never do, so the frame
 * cannot fall inside one of its messages. Returns false, having written nothing, otherwise: then
 * send the message through ws. The socket's `bufferedAmount` counts what waits of it.
 */
export function writeFrame(socket: WebSocket, frame: Buffer): boolean {
  const { _socket, _sender } = socket as unknown as WsInternals;
  // Anything else (another version of ws without these fields) goes through ws.
  if (!_socket || _sender?._queue?.length !== 0 || _sender._bufferedBytes !== 0) return false;
  _socket.write(frame);
  return true;
}
