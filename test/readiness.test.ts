import { describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { startProxy } from './support/proxy.js';
import { redisAnswers, redisUrl } from './support/redis.js';
import { createTestDatabase, leave, startService, startTestServer, wsClient } from './support/servers.js';
import { waitFor } from './support/wait.js';
import { closeCodeOf } from './support/ws.js';

/*
 * /readyz: 503 while a configured Redis is out of reach and 200 once it is back; 503 from the
 * moment shutdown begins, while requests are still served.
 */

const redisUp = await redisAnswers();
if (!redisUp) console.warn(`Skipping the Redis readiness test: no Redis answers at ${redisUrl} (set REDIS_URL).`);
const withRedis = redisUp ? it : it.skip;

/** The status and body of GET /readyz at `origin`, on a connection of its own. */
async function readiness(origin: string): Promise<{ status: number; body: { status: string } }> {
  const response = await fetch(`${origin}/readyz`, { headers: { connection: 'close' } });
  return { status: response.status, body: (await response.json()) as { status: string } };
}

describe('/readyz', () => {
  withRedis(
    'should answer 503 while the Redis of REDIS_URL is out of reach, and 200 once it is back',
    async () => {
      const proxy = await startProxy(new URL(redisUrl));
      leave(() => proxy.close());
      const server = await startTestServer({ redisUrl: `redis://127.0.0.1:${proxy.port}` });
      await waitFor(async () => (await readiness(server.url)).status === 200);
      proxy.down();
      await waitFor(async () => (await readiness(server.url)).status === 503);
      expect((await readiness(server.url)).body.status).toBe('redis unavailable');
      proxy.up();
      await waitFor(async () => (await readiness(server.url)).status === 200);
    },
    30_000,
  );

  it('should answer 503 from SIGTERM on, while a slow request and a WebSocket are still served', async () => {
    const database = await createTestDatabase();
    const service = await startService({ DATABASE_URL: database.url, SEED_DEMO: 'false', SHUTDOWN_DELAY_MS: '2000' });
    const origin = new URL(service.url).origin;
    expect((await readiness(origin)).status).toBe(200);
    // lazy: false reports the server's close as an error; it is expected here.
    const socket = wsClient(origin, undefined, { onNonLazyError: () => undefined });
    await new Promise((connected) => socket.on('connected', connected));
    const closed = closeCodeOf(socket);
    // A request whose body is still coming when the signal arrives.
    const body = JSON.stringify({ query: 'query Slow { __typename }' });
    const call = request(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const answered = new Promise<{ status: number; body: string }>((done, fail) => {
      call.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      call.on('error', fail);
    });
    call.write(body.slice(0, 10));
    const exited = new Promise<number | null>((gone) => service.child.once('exit', gone));
    service.child.kill('SIGTERM');
    await waitFor(async () => (await readiness(origin)).status === 503);
    expect((await readiness(origin)).body.status).toBe('stopping');
    expect(service.child.exitCode).toBeNull();
    call.end(body.slice(10));
    const response = await answered;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ data: { __typename: 'Query' } });
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
  }, 60_000);
});
