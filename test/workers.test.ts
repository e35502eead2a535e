import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import pg from 'pg';
import { ScoreChangedDocument } from '../schema/trusted-documents/graphql.js';
import { createTestDatabase } from './support/harness.js';
import { killServices, startService, type ServiceProcess } from './support/process.js';
import { wsClient } from './support/servers.js';
import { watch } from './support/ws.js';
import { waitFor } from './support/wait.js';

/*
 * WORKERS=2: two processes serve one port, without Redis. Node's cluster hands connections to the
 * workers in turn, so several sockets (and requests on fresh connections) land on both.
 */

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let service: ServiceProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  service = await startService({
    DATABASE_URL: database.url,
    WORKERS: '2',
    SEED_DEMO: 'true',
    VOTES_PER_MINUTE: '3',
    REDIS_URL: undefined,
  });
}, 60_000);

afterAll(async () => {
  const exitCode = await service?.stop();
  killServices();
  await database?.drop();
  expect(exitCode).toBe(0);
});

/** POSTs a GraphQL request on a connection of its own, so that the cluster may hand it to either worker. */
function postOnce<T>(query: string, variables: object, token?: string): Promise<{ data?: T; errors?: unknown[] }> {
  const body = JSON.stringify({ query, variables });
  return new Promise((done, fail) => {
    const call = request(
      service.url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(JSON.parse(Buffer.concat(chunks).toString()) as { data?: T }));
      },
    );
    call.on('error', fail);
    call.end(body);
  });
}

const voteMutation = 'mutation($id: ID!) { vote(input: { targetId: $id, value: UP }) { score } }';

async function signUp(username: string): Promise<string> {
  const { data } = await postOnce<{ signUp: { token: string } }>(
    'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
    { input: { username, displayName: username, password: 'password123' } },
  );
  return data!.signUp.token;
}

async function demoPosts(): Promise<{ questionId: string; posts: string[] }> {
  const { data } = await postOnce<{
    questions: { nodes: Array<{ id: string; answers: { nodes: Array<{ id: string }> } }> };
  }>('{ questions(first: 1) { nodes { id answers(first: 10) { nodes { id } } } } }', {});
  const question = data!.questions.nodes[0];
  return { questionId: question.id, posts: [question.id, ...question.answers.nodes.map((answer) => answer.id)] };
}

describe('two worker processes on one port', () => {
  it('should listen for events in each worker through PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: number }>(
        `SELECT count(*)::integer AS count FROM pg_stat_activity
          WHERE datname = current_database() AND query = 'LISTEN thread_api_pubsub'`,
      );
      expect(rows[0].count).toBe(2);
    } finally {
      await client.end();
    }
  });

  it('should push every vote, in order, to watchers on both workers', async () => {
    const { questionId, posts } = await demoPosts();
    const watchers = Array.from({ length: 6 }, () => {
      const client = wsClient(service.url.replace('/graphql', ''));
      return watch(client, ScoreChangedDocument, { questionId });
    });
    // A subscription is live once it hears something: votes on the question until all six did.
    for (let i = 0; !watchers.every((watcher) => watcher.results.length > 0); i++) {
      if (i === 20) throw new Error('the watchers never heard a vote');
      await postOnce(voteMutation, { id: posts[0] }, await signUp(`w_warm_${i}`));
      await new Promise((tick) => setTimeout(tick, 100));
    }

    const voter = await signUp('w_voter');
    const scores: Array<[string, number]> = [];
    for (const id of posts.slice(1, 4)) {
      const { data } = await postOnce<{ vote: { score: number } }>(voteMutation, { id }, voter);
      scores.push([id, data!.vote.score]);
    }
    const pushed = () =>
      watchers.map((watcher) =>
        watcher.results.slice(-3).map((r) => [r.data?.scoreChanged.post.id, r.data?.scoreChanged.score]),
      );
    await waitFor(() => pushed().every((tail) => tail.at(-1)?.[0] === posts[3]));
    expect(pushed()).toEqual(watchers.map(() => scores));
  }, 30_000);

  it('should refuse a token on every worker soon after it logs out on one', async () => {
    const token = await signUp('w_leaving');
    const viewerCodes = async () => {
      const codes: string[] = [];
      // Each on a fresh connection: both workers read the session, and keep it.
      for (let i = 0; i < 4; i += 1) {
        const result = await postOnce<{ viewer: { username: string } | null }>('{ viewer { username } }', {}, token);
        const code = (result.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;
        codes.push(code ?? result.data?.viewer?.username ?? 'none');
      }
      return codes;
    };
    expect(await viewerCodes()).toEqual(Array(4).fill('w_leaving'));

    const { data } = await postOnce<{ logOut: boolean }>('mutation { logOut }', {}, token);
    expect(data?.logOut).toBe(true);
    // The worker that did not answer the logOut hears of it through PostgreSQL, in milliseconds. The
    // wait stays well under the 10 s its session cache could otherwise trust the token for.
    const refusedEverywhere = async () => (await viewerCodes()).every((code) => code === 'UNAUTHENTICATED');
    await waitFor(refusedEverywhere, 5_000);
    expect(await viewerCodes()).toEqual(Array(4).fill('UNAUTHENTICATED'));
  });

  it('should count a rate limit across workers', async () => {
    const { posts } = await demoPosts();
    const voter = await signUp('w_voter_limited');
    const outcomes: string[] = [];
    // Each vote on a fresh connection: the cluster spreads them over both workers.
    for (const id of posts.slice(0, 4)) {
      const result = await postOnce<{ vote: { score: number } }>(voteMutation, { id }, voter);
      const code = (result.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;
      outcomes.push(code ?? 'ok');
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
  });
});
