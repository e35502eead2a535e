import { print } from 'graphql';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import {
  AskQuestionDocument,
  LogInDocument,
  PostAnswerDocument,
  PostReplyDocument,
  PostScoreDocument,
  ThreadViewDocument,
  VoteDocument,
} from '../schema/trusted-documents/graphql.js';
import { loadConfig } from '../src/config.js';
import { redisAnswers, redisUrl } from './support/redis.js';
import { answer, ask } from './support/actions.js';
import type { Response, TestServer } from './support/harness.js';
import { leave, startTestServer } from './support/servers.js';

const redisUp = await redisAnswers();
if (!redisUp)
  console.warn(`Skipping the shared-Redis rate limit test: no Redis answers at ${redisUrl} (set REDIS_URL).`);
const withRedis = redisUp ? it : it.skip;
/** Keys of this run only, so runs and other tests sharing the Redis count apart. */
const redisPrefix = `thread-api-test-${randomBytes(6).toString('hex')}`;

/** The defaults (10 failures per username and address, 100 per address a day, 30 posts and 300 votes a minute). */
const defaults = loadConfig({});
let server: TestServer;
/** The same, but 5 failures per address a day. */
let strict: TestServer;
/** Two instances counting in one Redis. */
const shared: TestServer[] = [];

beforeAll(async () => {
  [server, strict] = await Promise.all([
    startTestServer({ rateLimits: defaults }),
    startTestServer({ rateLimits: { loginFailuresPerIpPerDay: 5 } }),
  ]);
  if (redisUp) {
    leave(async () => {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${redisPrefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });
    const options = { redisUrl, rateLimits: { rateLimitPrefix: redisPrefix } };
    shared.push(...(await Promise.all([startTestServer(options), startTestServer(options)])));
  }
});

const password = 'password123';

/** Sends logIn through `target`. */
function logIn(target: TestServer, username: string, secret: string) {
  return target.gql(LogInDocument, { input: { username, password: secret } });
}

/** The code of the first error, or 'OK' when there is none. */
function outcome(response: Response<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code ?? 'OK';
}

/** Sends `count` wrong passwords for `username`, one request after another, and returns their outcomes. */
async function failLogIns(target: TestServer, username: string, count: number): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (let i = 0; i < count; i += 1) outcomes.push(outcome(await logIn(target, username, `wrong-${i}`)));
  return outcomes;
}

/** POSTs a GraphQL body to `target` from the local address `from` (any of 127.0.0.0/8 reaches it). */
function postFrom(target: TestServer, from: string, body: object): Promise<Response<unknown>> {
  return new Promise((resolve, reject) => {
    const sent = request(
      `${target.url}/graphql`,
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ ...JSON.parse(text), status: response.statusCode }));
      },
    );
    sent.on('error', reject);
    sent.end(JSON.stringify(body));
  });
}

const logInMutation = 'mutation($input: LogInInput!) { logIn(input: $input) { token } }';

describe('failed log-ins per username and address', () => {
  it('should refuse the 11th attempt with RATE_LIMITED and retryAfter, even with the right password', async () => {
    const { username } = await server.signUp();
    expect(await failLogIns(server, username, 10)).toEqual(Array(10).fill('UNAUTHENTICATED'));

    const refused = await logIn(server, username, password);
    expect(refused.data).toBeNull();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0].path).toEqual(['logIn']);
    const { code, retryAfter } = refused.errors![0].extensions as { code: string; retryAfter: number };
    expect(code).toBe('RATE_LIMITED');
    expect(Number.isInteger(retryAfter)).toBe(true);
    // The lockout lasts 15 minutes from the 11th attempt.
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Another case of the same username is the same account, and the same lockout.
    expect(outcome(await logIn(server, username.toUpperCase(), password))).toBe('RATE_LIMITED');
  });

  it('should lock out only that username from that address', async () => {
    const [locked, other] = await Promise.all([server.signUp(), server.signUp()]);
    await failLogIns(server, locked.username, 11);

    expect(outcome(await logIn(server, other.username, password))).toBe('OK');
    const variables = { input: { username: locked.username, password } };
    const elsewhere = await postFrom(server, '127.0.0.2', { query: logInMutation, variables });
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data).toEqual({ logIn: { token: expect.any(String) } });
    expect(outcome(await postFrom(server, '127.0.0.1', { query: logInMutation, variables }))).toBe('RATE_LIMITED');
  });

  it('should run no logIn after the first failed one in a request, so 12 aliases make one attempt', async () => {
    const { username } = await server.signUp();
    const aliases = Array.from(
      { length: 12 },
      (_, i) => `a${i}: logIn(input: { username: "${username}", password: "wrong-${i}" }) { token }`,
    );
    const aliased = await server.post({ query: `mutation { ${aliases.join(' ')} }` });
    expect(aliased.data).toBeNull();
    expect(aliased.errors!.map((error) => [error.path, error.extensions?.code])).toEqual([[['a0'], 'UNAUTHENTICATED']]);

    // One failure counted: 9 more are let through, the next is refused.
    expect(await failLogIns(server, username, 10)).toEqual([...Array(9).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
  });

  it('should refuse aliased logIns with the right password once the username is locked out', async () => {
    const { username } = await server.signUp();
    await failLogIns(server, username, 10);
    const aliases = Array.from(
      { length: 12 },
      (_, i) => `a${i}: logIn(input: { username: "${username}", password: "${password}" }) { token }`,
    );
    const aliased = await server.post({ query: `mutation { ${aliases.join(' ')} }` });
    expect(aliased.data).toBeNull();
    expect(aliased.errors!.map((error) => [error.path, error.extensions?.code])).toEqual([[['a0'], 'RATE_LIMITED']]);
  });

  it('should forget the failures of a username after a right password', async () => {
    const { username } = await server.signUp();
    expect(await failLogIns(server, username, 9)).toEqual(Array(9).fill('UNAUTHENTICATED'));
    expect(outcome(await logIn(server, username, password))).toBe('OK');

    expect(await failLogIns(server, username, 11)).toEqual([...Array(10).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
  });
});

describe('failed log-ins per address', () => {
  it('should refuse every username from an address past its failures of the day, and no other address', async () => {
    const users = await Promise.all(Array.from({ length: 3 }, () => strict.signUp()));
    // Right passwords are not failures.
    for (const user of users) expect(outcome(await logIn(strict, user.username, password))).toBe('OK');
    for (let i = 0; i < 5; i += 1) {
      expect(outcome(await logIn(strict, `nobody_${i}`, 'wrong'))).toBe('UNAUTHENTICATED');
    }

    const refused = await logIn(strict, users[0].username, password);
    const { code, retryAfter } = refused.errors![0].extensions as { code: string; retryAfter: number };
    expect(code).toBe('RATE_LIMITED');
    expect(Number.isInteger(retryAfter)).toBe(true);
    // The count started with the first attempt of the day.
    expect(retryAfter).toBeGreaterThan(23 * 3600);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    expect(outcome(await logIn(strict, users[1].username, password))).toBe('RATE_LIMITED');

    const variables = { input: { username: users[0].username, password } };
    expect(outcome(await postFrom(strict, '127.0.0.3', { query: logInMutation, variables }))).toBe('OK');
  });
});

describe('writes per user', () => {
  it('should let a user post 30 times a minute, questions, answers and replies together, and refuse the rest', async () => {
    const [poster, asker] = await Promise.all([server.signUp(), server.signUp()]);
    const { id: questionId } = await ask(server, asker, {
      title: 'Combien de messages par minute ?',
      body: 'Une question.',
      tags: ['limites'],
    });
    const { id: answerId } = await answer(server, poster, questionId, 'Réponse 0');

    // 1 answer so far, then 30 at once: exactly 29 more get through, whatever their order.
    const writes = Array.from({ length: 30 }, (_, i) => {
      if (i % 3 === 0) {
        const input = { title: `Question limitée numéro ${i}`, body: 'Corps.', tags: ['limites'] };
        return server.gql(AskQuestionDocument, { input }, poster.token);
      }
      if (i % 3 === 1)
        return server.gql(PostAnswerDocument, { input: { questionId, body: `Réponse ${i}` } }, poster.token);
      return server.gql(PostReplyDocument, { input: { answerId, body: `Réplique ${i}` } }, poster.token);
    });
    const outcomes = (await Promise.all(writes)).map(outcome);
    expect(outcomes.filter((code) => code === 'OK')).toHaveLength(29);
    expect(outcomes.filter((code) => code !== 'OK')).toEqual(['RATE_LIMITED']);

    const refused = await server.gql(PostReplyDocument, { input: { answerId, body: 'Une de trop' } }, poster.token);
    const { code, retryAfter } = refused.errors![0].extensions as { code: string; retryAfter: number };
    expect(code).toBe('RATE_LIMITED');
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const [{ count }] = await server.db.query('SELECT count(*)::int AS count FROM post WHERE author_id = $1', [
      poster.userId,
    ]);
    expect(count).toBe(30);
    // Another user still posts.
    const other = await server.gql(PostReplyDocument, { input: { answerId, body: 'Moi aussi' } }, asker.token);
    expect(outcome(other)).toBe('OK');
    expect(await server.drift()).toEqual([]);
  });

  it('should let a user vote 300 times a minute and refuse the 301st', async () => {
    const [voter, author] = await Promise.all([server.signUp(), server.signUp()]);
    const { id: targetId } = await ask(server, author, {
      title: 'Combien de votes par minute ?',
      body: 'Une question.',
      tags: ['limites'],
    });

    // Repeating a vote changes nothing, but each one counts. Sent 20 at a time: they queue on the
    // post's row lock, and a queue of 301 could outlast the statement timeout on a busy machine.
    const outcomes: Array<ReturnType<typeof outcome>> = [];
    for (let sent = 0; sent < 301; sent += 20) {
      const batch = Array.from({ length: Math.min(20, 301 - sent) }, () =>
        server.gql(VoteDocument, { input: { targetId, value: 'UP' } }, voter.token),
      );
      outcomes.push(...(await Promise.all(batch)).map(outcome));
    }
    expect(outcomes.filter((code) => code === 'OK')).toHaveLength(300);
    expect(outcomes.filter((code) => code !== 'OK')).toEqual(['RATE_LIMITED']);

    const score = await server.gql(PostScoreDocument, { id: targetId });
    expect(score.data!.node).toMatchObject({ score: 1 });
    expect(await server.drift()).toEqual([]);
  });
});

describe('two instances sharing one Redis', () => {
  withRedis('should share the failures of a username between instances', async () => {
    const username = `shared_${process.pid}`;
    await Promise.all(shared.map((instance) => instance.signUp(username)));
    expect(await failLogIns(shared[0], username, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(await failLogIns(shared[1], username, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));

    expect(outcome(await logIn(shared[0], username, password))).toBe('RATE_LIMITED');
    expect(outcome(await logIn(shared[1], username, password))).toBe('RATE_LIMITED');
  });
});

describe('the query budget of an address', () => {
  it('should spend each operation’s cost and refuse the request past the minute’s budget with 429 and retryAfter', async () => {
    const budget = await startTestServer({ rateLimits: { queryCostPerMinute: 400 } });
    // The thread page costs 183 (see test/query-limits.test.ts): two fit in 400, the third does not.
    const page = {
      query: print(ThreadViewDocument),
      variables: { id: Buffer.from('Question:1').toString('base64url') },
    };
    expect((await budget.post(page)).status).toBe(200);
    expect((await budget.post(page)).status).toBe(200);
    const refused = await budget.post(page);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(refused.data).toBeUndefined();
  });
});
