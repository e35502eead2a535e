import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { startTestServer, type TestServer } from './support/harness.js';
import { nextMessage, rawSocket, socketClosed } from './support/ws.js';

let server: TestServer;
const sockets: WebSocket[] = [];
beforeAll(async () => {
  // A small bound, so a few hundred large messages are enough to reach it.
  server = await startTestServer({ socketLimits: { pendingEventsPerOperation: 50 } });
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await server.close();
});

describe('a watcher that does not read its socket', () => {
  it('should be closed with 1008 once its waiting events pass the bound, rather than queued without end', async () => {
    const asker = await server.signUp();
    const question = await server.services.questions.ask(
      { userId: asker.userId },
      { title: 'Un fil très suivi par un lecteur lent', body: 'Bonjour', tags: ['lenteur'] },
    );
    const answer = await server.services.answers.answer({ userId: asker.userId }, question.rowId, { body: 'Oui' });
    const questionId = Buffer.from(`Question:${question.rowId}`).toString('base64url');

    const socket = rawSocket(server.url);
    sockets.push(socket);
    await new Promise((open) => socket.once('open', open));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    expect((await nextMessage(socket)).type).toBe('connection_ack');
    socket.send(
      JSON.stringify({
        id: 'slow',
        type: 'subscribe',
        payload: { query: `subscription { replyAdded(questionId: "${questionId}") { id body } }` },
      }),
    );
    // Give the subscription a moment to be set up, then stop reading: the kernel's buffers fill first.
    await new Promise((settle) => setTimeout(settle, 300));
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    tcp.pause();

    const closed = socketClosed(socket);
    // 400 replies of 25 kB: 10 MB, more than the kernel's socket buffers on both ends hold, after
    // which events wait for the watcher on the server.
    const body = 'x'.repeat(25_000);
    for (let i = 0; i < 400; i += 1) {
      await server.services.answers.reply({ userId: asker.userId }, answer.rowId, { body: `${i} ${body}` });
    }
    // Reading again, the watcher finds what was sent before the bound was passed, then the close.
    tcp.resume();
    expect(await closed).toBe(1008);
  }, 60_000);
});
