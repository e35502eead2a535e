import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { SocketLimits } from '../src/http/transport-limits.js';
import type { TestServer } from './support/harness.js';
import { rawSocket, startTestServer } from './support/servers.js';
import { nextMessage, socketClosed } from './support/ws.js';

/** A test server, and how many sockets it decided to close for not reading (as its log says). */
type LoggingServer = TestServer & { tooSlow: number };

async function startLoggingServer(socketLimits: Partial<SocketLimits>): Promise<LoggingServer> {
  const log = {
    info: () => undefined,
    warn: (message: string) => {
      if (message.startsWith('websocket too slow')) running.tooSlow += 1;
    },
    error: () => undefined,
  };
  const running: LoggingServer = Object.assign(await startTestServer({ socketLimits, log }), { tooSlow: 0 });
  return running;
}

type ReplyAddedResult = { data: { replyAdded: { body: string } } };

let server: LoggingServer;
/** Bounded by bytes alone: its pending-events bound is out of reach. */
let byBytes: LoggingServer;
beforeAll(async () => {
  // Small bounds, so a few hundred large messages are enough to reach them.
  server = await startLoggingServer({ pendingEventsPerOperation: 50 });
  byBytes = await startLoggingServer({ pendingEventsPerOperation: 1_000_000, bufferedBytesPerSocket: 100_000 });
});

/**
 * A bare socket, acknowledged, with a `replyAdded` operation in `thread` for each of `ids`, all of
 * them listening: probe replies are posted until each operation received the last one, and read.
 */
async function watchReplies(
  on: TestServer,
  { asker, answer, questionId }: Awaited<ReturnType<typeof threadOn>>,
  ids: string[],
): Promise<WebSocket> {
  const socket = rawSocket(on.url);
  await new Promise((open) => socket.once('open', open));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  expect((await nextMessage(socket)).type).toBe('connection_ack');
  for (const id of ids) {
    const query = `subscription { replyAdded(questionId: "${questionId}") { id body } }`;
    socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
  }
  const received = new Map<string, string>();
  const listen = (data: WebSocket.RawData) => {
    const message = JSON.parse(String(data)) as { type: string; id: string; payload: ReplyAddedResult };
    if (message.type === 'next') received.set(message.id, message.payload.data.replyAdded.body);
  };
  socket.on('message', listen);
  for (let probe = 0; ; probe += 1) {
    const body = `Sonde ${probe}`;
    await on.services.answers.reply({ userId: asker.userId }, answer.rowId, { body });
    const heard = () => ids.every((id) => received.get(id) === body);
    // A probe posted before an operation listened never reaches it: then the next probe is posted.
    const deadline = Date.now() + 1000;
    while (!heard() && Date.now() < deadline) await new Promise((tick) => setTimeout(tick, 20));
    if (heard()) break;
    if (probe === 20) throw new Error('the subscriptions were not live after 20 probes');
  }
  socket.off('message', listen);
  return socket;
}

/** A question with one answer, on `on`, by a new user. */
async function threadOn(on: TestServer) {
  const asker = await on.signUp();
  const question = await on.services.questions.ask(
    { userId: asker.userId },
    { title: 'Un fil très suivi par un lecteur lent', body: 'Bonjour', tags: ['lenteur'] },
  );
  const answer = await on.services.answers.answer({ userId: asker.userId }, question.rowId, { body: 'Oui' });
  const questionId = Buffer.from(`Question:${question.rowId}`).toString('base64url');
  return { asker, answer, questionId };
}

/**
 * Stops reading `socket` while replies of 25 kB are posted in the thread, at most `replies` of them,
 * until the server says it closes the socket, then reads again: the watcher finds what was sent
 * before a bound was passed, then the close, whose code this gives. Reading resumes at once because
 * the server waits for the close handshake for 30 s only (ws), after which it drops the socket (1006).
 */
async function closeCodeAfterUnread(
  on: LoggingServer,
  { asker, answer }: Awaited<ReturnType<typeof threadOn>>,
  socket: WebSocket,
  replies: number,
): Promise<number> {
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  tcp.pause();
  const closed = socketClosed(socket);
  const body = 'x'.repeat(25_000);
  const closing = on.tooSlow;
  for (let i = 0; i < replies && on.tooSlow === closing; i += 1) {
    await on.services.answers.reply({ userId: asker.userId }, answer.rowId, { body: `${i} ${body}` });
  }
  tcp.resume();
  return closed;
}

describe('a watcher that does not read its socket', () => {
  it('should be closed with 1008 once its waiting events pass the bound, rather than queued without end', async () => {
    const thread = await threadOn(server);
    const socket = await watchReplies(server, thread, ['slow']);
    // 400 replies of 25 kB: 10 MB, more than the kernel's socket buffers on both ends hold, after
    // which events wait for the watcher on the server.
    expect(await closeCodeAfterUnread(server, thread, socket, 400)).toBe(1008);
  }, 60_000);
});

describe("a socket's bytes", () => {
  it('should close with 1008 a socket whose unread bytes pass the bound, whatever each operation holds', async () => {
    const thread = await threadOn(byBytes);
    // Ten operations of one socket: each has at most one message in flight, ten of them pass the bound.
    const ids = Array.from({ length: 10 }, (_, i) => `op${i}`);
    const socket = await watchReplies(byBytes, thread, ids);
    // 80 replies of 25 kB to ten operations: 20 MB, more than the kernel's buffers hold.
    expect(await closeCodeAfterUnread(byBytes, thread, socket, 80)).toBe(1008);
  }, 60_000);

  it('should not compress messages (permessage-deflate), even when the client offers it', async () => {
    const socket = rawSocket(byBytes.url);
    await new Promise((open) => socket.once('open', open));
    expect(socket.extensions).toBe('');
  });
});
