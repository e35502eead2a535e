import { afterAll, describe, expect, it } from '@jest/globals';
import { buildSchema } from 'graphql';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { serveSockets } from '../src/http/socket-server.js';
import { createLog } from '../src/log.js';

describe('serveSockets', () => {
  const wsServer = new WebSocketServer({ port: 0, perMessageDeflate: false });
  const served = serveSockets(
    { schema: buildSchema('type Query { hello: String }'), roots: { query: { hello: 'world' } } },
    wsServer,
    {
      extraOf: (socket) => ({ socket }),
      connectionInitMs: 300,
      keepAliveMs: 100,
      nodeEnv: 'production',
      log: createLog('silent'),
    },
  );
  const sockets: WebSocket[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await served.dispose();
  });

  const open = (options: WebSocket.ClientOptions = {}) => {
    const socket = new WebSocket(`ws://127.0.0.1:${(wsServer.address() as AddressInfo).port}`, 'graphql-transport-ws', {
      perMessageDeflate: false,
      ...options,
    });
    sockets.push(socket);
    return socket;
  };
  const closed = (socket: WebSocket) => new Promise<number>((done) => socket.once('close', (code) => done(code)));
  const messages = (socket: WebSocket) => {
    const received: Array<{ type: string; id?: string; payload?: unknown }> = [];
    socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString())));
    return received;
  };
  const until = async (done: () => boolean, ms = 2000) => {
    for (const start = Date.now(); !done() && Date.now() - start < ms;)
      await new Promise((wait) => setTimeout(wait, 10));
  };

  it('should run an operation once the connection is acknowledged', async () => {
    const socket = open();
    const received = messages(socket);
    await new Promise((done) => socket.once('open', done));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await until(() => received.length > 0);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ hello }' } }));
    await until(() => received.length >= 3);
    expect(received).toEqual([
      { type: 'connection_ack' },
      { id: '1', type: 'next', payload: { data: { hello: 'world' } } },
      { id: '1', type: 'complete' },
    ]);
  });

  it('should close the socket with 4400 when a message is not JSON', async () => {
    const socket = open();
    const code = closed(socket);
    await new Promise((done) => socket.once('open', done));
    socket.send('{"type":');
    expect(await code).toBe(4400);
  });

  it('should close the socket with 4408 when connection_init does not come in time', async () => {
    expect(await closed(open())).toBe(4408);
  });

  it('should keep a socket that answers pings open past the connection-init time', async () => {
    const socket = open();
    const received = messages(socket);
    let pings = 0;
    socket.on('ping', () => (pings += 1));
    await new Promise((done) => socket.once('open', done));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((wait) => setTimeout(wait, 600));
    expect(received).toEqual([{ type: 'connection_ack' }]);
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });

  it('should terminate a socket that does not answer a ping by the next one', async () => {
    const socket = open({ autoPong: false });
    await new Promise((done) => socket.once('open', done));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    // Terminated, not closed: no close frame, so the client sees 1006.
    expect(await closed(socket)).toBe(1006);
  });
});
