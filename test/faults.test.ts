import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { openDatabase } from '../src/db/data-source.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/db/embedded.js';
import { createTestDatabase, leave, serve, startService } from './support/servers.js';

async function post(url: string, query: string, token?: string, variables: object = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
    },
  };
}

describe('a database that stops and comes back', () => {
  it('should keep the process up, fail fast with a clear error and 503 on /readyz, then serve again without a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'thread-restart-'));
    await chmod(dataDir, 0o755);
    leave(() => rm(dataDir, { recursive: true, force: true }));
    let database: EmbeddedDatabase = await startEmbeddedDatabase(dataDir);
    const port = Number(new URL(database.url).port);
    leave(() => database.stop());
    const db = await openDatabase({ url: database.url });
    leave(() => db.destroy());
    const { server } = await serve(db);
    const graphql = `${server.url}/graphql`;
    expect((await post(graphql, '{ questions { totalCount } }')).body.data).toEqual({ questions: { totalCount: 0 } });

    await database.stop();
    const started = Date.now();
    const failed = await post(graphql, '{ questions { totalCount } }');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(failed.body.errors?.[0].extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', retryable: true });
    expect(failed.body.errors?.[0].message).toBe('The database is unavailable: retry in a moment');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    database = await startEmbeddedDatabase(dataDir, { port });
    let answered = await post(graphql, '{ questions { totalCount } }');
    for (let attempt = 0; attempt < 20 && answered.body.errors; attempt += 1) {
      await new Promise((wait) => setTimeout(wait, 250));
      answered = await post(graphql, '{ questions { totalCount } }');
    }
    expect(answered.body.data).toEqual({ questions: { totalCount: 0 } });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 60_000);
});

describe('a process that is killed', () => {
  it('should keep every write it acknowledged, with every counter equal to its rows (npm run db:check)', async () => {
    const database = await createTestDatabase();
    const first = await startService({ DATABASE_URL: database.url, SEED_DEMO: 'true' });
    const { body } = await post(
      first.url,
      '{ questions(first: 1) { nodes { id answers(first: 10) { nodes { id } } } } }',
    );
    const thread = (
      body.data as { questions: { nodes: Array<{ id: string; answers: { nodes: Array<{ id: string }> } }> } }
    ).questions.nodes[0];
    const posts = [thread.id, ...thread.answers.nodes.map((answer) => answer.id)];
    const voters: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const signedUp = await post(
        first.url,
        'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
        undefined,
        { input: { username: `burst_${i}`, displayName: `Burst ${i}`, password: 'password123' } },
      );
      voters.push((signedUp.body.data as { signUp: { token: string } }).signUp.token);
    }

    const acknowledged: Array<{ kind: 'vote' | 'reply'; token: string; id: string }> = [];
    const burst = voters.flatMap((token) => [
      ...posts.map((id) =>
        post(first.url, 'mutation($id: ID!) { vote(input: { targetId: $id, value: DOWN }) { id } }', token, {
          id,
        }).then((result) => result.body.data && acknowledged.push({ kind: 'vote', token, id })),
      ),
      ...Array.from({ length: 5 }, () =>
        post(
          first.url,
          'mutation($id: ID!) { postReply(input: { answerId: $id, body: "Pendant la rafale" }) { id } }',
          token,
          { id: posts[1] },
        ).then((result) => {
          const reply = (result.body.data as { postReply?: { id: string } } | undefined)?.postReply;
          if (reply) acknowledged.push({ kind: 'reply', token, id: reply.id });
        }),
      ),
    ]);
    // Kill it mid-burst: once some writes were acknowledged, while others are still on their way.
    while (acknowledged.length < 15) await new Promise((wait) => setTimeout(wait, 5));
    first.child.kill('SIGKILL');
    await Promise.allSettled(burst);
    expect(acknowledged.length).toBeLessThan(burst.length);

    const second = await startService({ DATABASE_URL: database.url, SEED_DEMO: 'true' });
    for (const write of acknowledged) {
      const query =
        write.kind === 'vote'
          ? 'query($id: ID!) { node(id: $id) { ... on Post { viewerVote } } }'
          : 'query($id: ID!) { node(id: $id) { id } }';
      const found = await post(second.url, query, write.token, { id: write.id });
      expect(found.body.data?.node).toEqual(write.kind === 'vote' ? { viewerVote: 'DOWN' } : { id: write.id });
    }
    expect(await second.stop()).toBe(0);
    expect(await dbCheck(database.url)).toEqual({ code: 0, output: 'no drift: every counter equals its rows' });
  }, 90_000);
});

describe('a process that is asked to stop (SIGTERM)', () => {
  it('should finish the requests in flight, close sockets with 1001 and exit 0', async () => {
    const database = await createTestDatabase();
    const service = await startService({ DATABASE_URL: database.url, SEED_DEMO: 'true' });
    const socket = new WebSocket(service.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((open) => socket.once('open', open));
    const closed = new Promise<number>((done) => socket.once('close', (code) => done(code)));

    const inFlight = Array.from({ length: 40 }, () =>
      post(
        service.url,
        '{ questions(first: 5) { nodes { title answers { nodes { body replies { nodes { body } } } } } } }',
      ),
    );
    await inFlight[0];
    const exited = service.stop('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    expect(await exited).toBe(0);
    expect(await closed).toBe(1001);
    // Each request was either served in full or never accepted: none cut off or failed half-way.
    for (const result of results) {
      if (result.status === 'fulfilled')
        expect(result.value).toMatchObject({ status: 200, body: { data: expect.anything() } });
      else expect(String(result.reason)).toMatch(/fetch failed/);
    }
    expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThan(1);
  }, 60_000);
});

/** Runs `npm run db:check`'s program on `url`. */
function dbCheck(url: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [new URL('../dist/src/db-check.js', import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((done) => child.once('exit', (code) => done({ code, output: output.trim() })));
}
