import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { TestServer } from './support/harness.js';
import { rawSocket, startTestServer } from './support/servers.js';
import { nextMessage, socketClosed } from './support/ws.js';

let server: TestServer;
/** Bounded by bytes alone: its pending-events bound is out of reach. */
let byBytes: TestServer;
beforeAll(async () => {
  // Small bounds, so a few hundred large messages are enough to reach them.
  server = await startTestServer({ socketLimits: { pendingEventsPerOperation: 50 } });
  byBytes = await startTestServer({
    socketLimits: { pendingEventsPerOperation: 1_000_000, bufferedBytesPerSocket: 100_000 },
  });
});

/** A bare socket, acknowledged, with a `replyAdded` operation on `questionId` for each of `ids`. */
async function watchReplies(on: TestServer, questionId: string, ids: string[]): Promise<WebSocket> {
  const socket = rawSocket(on.url);
  await new Promise((open) => socket.once('open', open));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  expect((await nextMessage(socket)).type).toBe('connection_ack');
  for (const id of ids) {
    const query = `subscription { replyAdded(questionId: "${questionId}") { id body } }`;
    socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
  }
  // Give the subscriptions a moment to be set up.
  await new Promise((settle) => setTimeout(settle, 300));
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
 * Stops reading `socket` while `replies` replies of 25 kB are posted in the thread, then reads again:
 * the watcher finds what was sent before a bound was passed, then the close, whose code this gives.
 */
async function closeCodeAfterUnread(
  on: TestServer,
  { asker, answer }: Awaited<ReturnType<typeof threadOn>>,
  socket: WebSocket,
  replies: number,
): Promise<number> {
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  tcp.pause();
  const closed = socketClosed(socket);
  const body = 'x'.repeat(25_000);
  for (let i = 0; i < replies; i += 1) {
    await on.services.answers.reply({ userId: asker.userId }, answer.rowId, { body: `${i} ${body}` });
  }
  tcp.resume();
  return closed;
}

describe('a watcher that does not read its socket', () => {
  it('should be closed with 1008 once its waiting events pass the bound, rather than queued without end', async () => {
    const thread = await threadOn(server);
    const socket = await watchReplies(server, thread.questionId, ['slow']);
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
    const socket = await watchReplies(byBytes, thread.questionId, ids);
    // 80 replies of 25 kB to ten operations: 20 MB, more than the kernel's buffers hold.
    expect(await closeCodeAfterUnread(byBytes, thread, socket, 80)).toBe(1008);
  }, 60_000);

  it('should not compress messages (permessage-deflate), even when the client offers it', async () => {
    const socket = rawSocket(byBytes.url);
    await new Promise((open) => socket.once('open', open));
    expect(socket.extensions).toBe('');
  });
});
