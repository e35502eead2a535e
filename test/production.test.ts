import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { runUntilExit } from './support/process.js';
import { createTestDatabase, startService } from './support/servers.js';
import { waitFor } from './support/wait.js';

async function questionCount(graphql: string): Promise<number> {
  const response = await fetch(graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ questions { totalCount } }' }),
  });
  return ((await response.json()) as { data: { questions: { totalCount: number } } }).data.questions.totalCount;
}

/** A port this test holds, so that the service finds it taken. */
async function takenPort(): Promise<{ port: number; release(): void }> {
  const holder = createServer();
  await new Promise<void>((listening) => holder.listen(0, '127.0.0.1', listening));
  const address = holder.address();
  return { port: typeof address === 'object' && address ? address.port : 0, release: () => holder.close() };
}

/** The one line a failed start wrote, as its message. */
function onlyMessage(lines: string[]): string {
  expect(lines).toHaveLength(1);
  return (JSON.parse(lines[0]) as { msg: string }).msg;
}

describe('the service in production (NODE_ENV=production)', () => {
  it('should not import the demo thread unless SEED_DEMO=true says so', async () => {
    const database = await createTestDatabase();
    const service = await startService({ NODE_ENV: 'production', DATABASE_URL: database.url, SEED_DEMO: undefined });
    expect(await questionCount(service.url)).toBe(0);
  }, 60_000);

  it('should stop at once with one line when SEED_DEMO=true comes with the default demo password', async () => {
    const database = await createTestDatabase();
    const ended = await runUntilExit({
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      SEED_DEMO: 'true',
      DEMO_PASSWORD: undefined,
    });
    expect(ended.code).toBe(1);
    expect(onlyMessage(ended.lines)).toContain('DEMO_PASSWORD');
  }, 60_000);

  it('should import the demo thread with a DEMO_PASSWORD of its own', async () => {
    const database = await createTestDatabase();
    const service = await startService({
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      SEED_DEMO: 'true',
      DEMO_PASSWORD: 'a-password-of-our-own',
    });
    expect(await questionCount(service.url)).toBe(1);
  }, 60_000);

  it('should allow the origins CORS_ORIGINS lists, and no other', async () => {
    const database = await createTestDatabase();
    const service = await startService({
      DATABASE_URL: database.url,
      SEED_DEMO: 'false',
      CORS_ORIGINS: 'https://app.example,https://admin.example',
    });
    const preflight = (origin: string) =>
      fetch(service.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://admin.example')).headers.get('access-control-allow-origin')).toBe(
      'https://admin.example',
    );
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  }, 60_000);
});

describe('a start that fails', () => {
  it('should say in one line which setting is malformed, and exit with 1', async () => {
    const ended = await runUntilExit({ PORT: 'four thousand', DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(ended.code).toBe(1);
    expect(onlyMessage(ended.lines)).toBe('PORT must be a whole number, got "four thousand"');
  }, 60_000);

  it('should say in one line that the database is out of reach, and exit with 1', async () => {
    const ended = await runUntilExit({ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/thread' });
    expect(ended.code).toBe(1);
    const message = onlyMessage(ended.lines);
    expect(message).toContain('cannot reach 127.0.0.1:1/thread (ECONNREFUSED)');
    expect(message).not.toContain('secret');
  }, 60_000);

  it('should say in one line that the port is taken, and exit with 1', async () => {
    const database = await createTestDatabase();
    const taken = await takenPort();
    try {
      const ended = await runUntilExit({ DATABASE_URL: database.url, SEED_DEMO: 'false', PORT: String(taken.port) });
      expect(ended.code).toBe(1);
      const failures = ended.lines.filter((line) => !line.includes('"level":30'));
      expect(onlyMessage(failures)).toContain(`port ${taken.port} is taken`);
    } finally {
      taken.release();
    }
  }, 60_000);
});

describe('the log of refused requests', () => {
  it('should carry the requestId of every refusal made before an operation runs', async () => {
    const database = await createTestDatabase();
    const service = await startService({ DATABASE_URL: database.url, SEED_DEMO: 'false' });
    const refusals: Array<{ body: string; headers: Record<string, string> }> = [
      { body: '[{"query":"{ __typename }"}]', headers: { 'content-type': 'application/json' } },
      { body: '{"query":', headers: { 'content-type': 'application/json' } },
      {
        body: JSON.stringify({ query: '{ __typename }' }),
        headers: { 'content-type': 'application/json', authorization: 'Bearer revoked' },
      },
    ];
    for (const { body, headers } of refusals) {
      const response = await fetch(service.url, { method: 'POST', headers, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      const requestId = response.headers.get('x-request-id') as string;
      // The line comes through the child's stderr, after the response.
      await waitFor(() => service.lines.some((line) => line.includes(requestId)));
    }
  }, 60_000);
});

describe('the log of WebSockets', () => {
  it('should log each connection with an id, its close code and duration, and each operation', async () => {
    const database = await createTestDatabase();
    const service = await startService({ DATABASE_URL: database.url, SEED_DEMO: 'false' });
    const socket = new WebSocket(service.url.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise((open) => socket.once('open', open));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const next = () => new Promise<string>((message) => socket.once('message', (data) => message(String(data))));
    expect(JSON.parse(await next())).toEqual({ type: 'connection_ack' });
    socket.send(JSON.stringify({ id: 'op1', type: 'subscribe', payload: { query: '{ __typename }' } }));
    expect(JSON.parse(await next())).toMatchObject({ id: 'op1', type: 'next' });
    const closed = new Promise((done) => socket.once('close', done));
    socket.close(1000);
    await closed;
    await waitFor(() => service.lines.some((line) => line.includes('"websocket closed"')));
    const logged = service.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const opened = logged.find((line) => line.msg === 'websocket opened');
    expect(opened).toMatchObject({ socketId: expect.any(String) });
    expect(logged.find((line) => line.msg === 'websocket operation ended')).toMatchObject({
      socketId: opened?.socketId,
      operationId: 'op1',
      durationMs: expect.any(Number),
    });
    expect(logged.find((line) => line.msg === 'websocket closed')).toMatchObject({
      socketId: opened?.socketId,
      code: 1000,
      durationMs: expect.any(Number),
    });
  }, 60_000);
});
