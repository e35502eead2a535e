import { afterAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame, writeFrame } from '../src/http/frames.js';

describe('textFrame and writeFrame', () => {
  const server = new WebSocketServer({ port: 0, perMessageDeflate: false });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('should give a ws client each message as a text message, whatever its length, in order with what ws sends', async () => {
    const messages = [5, 125, 126, 300, 65_535, 65_536, 70_000].map(
      (length) => 'é'.repeat(length / 2) + 'x'.repeat(length % 2),
    );
    server.once('connection', (socket) => {
      for (const message of messages) {
        const frame = textFrame(Buffer.from(message));
        expect(writeFrame(socket, frame)).toBe(true);
        socket.send('through ws');
      }
    });
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const received: Array<{ text: string; isBinary: boolean }> = [];
    await new Promise<void>((done) =>
      client.on('message', (data: Buffer, isBinary) => {
        received.push({ text: data.toString(), isBinary });
        if (received.length === messages.length * 2) done();
      }),
    );
    client.close();
    expect(received).toEqual(
      messages.flatMap((text) => [
        { text, isBinary: false },
        { text: 'through ws', isBinary: false },
      ]),
    );
  });
});
