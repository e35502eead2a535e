import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ScoreChangedDocument, ThreadEventsDocument } from '../schema/trusted-documents/graphql.js';
import { redisAnswers, redisUrl } from './support/redis.js';
import { createTestDatabase } from './support/harness.js';
import { killServices, postTo, startService, type ServiceProcess } from './support/process.js';
import { wsClient } from './support/servers.js';
import { watch } from './support/ws.js';
import { waitFor } from './support/wait.js';

const redisUp = await redisAnswers();
if (!redisUp) console.warn(`Skipping the two-instance test: no Redis answers at ${redisUrl} (set REDIS_URL).`);
const withRedis = redisUp ? it : it.skip;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let a: ServiceProcess;
let b: ServiceProcess;

beforeAll(async () => {
  if (!redisUp) return;
  database = await createTestDatabase();
  a = await startService({ DATABASE_URL: database.url, REDIS_URL: redisUrl, SEED_DEMO: 'true' });
  b = await startService({ DATABASE_URL: database.url, REDIS_URL: redisUrl, SEED_DEMO: 'false' });
}, 60_000);

afterAll(async () => {
  const exitCodes = await Promise.all([a, b].filter(Boolean).map((service) => service.stop()));
  killServices();
  await database?.drop();
  expect(exitCodes).toEqual(redisUp ? [0, 0] : []);
});

describe('two instances on one database and one Redis', () => {
  withRedis(
    'should deliver a vote made through one instance to a watcher on the other, once and in order',
    async () => {
      const { questions } = await postTo<{
        questions: { nodes: Array<{ id: string; answers: { nodes: Array<{ id: string }> } }> };
      }>(a.url, '{ questions(first: 1) { nodes { id answers(first: 10) { nodes { id } } } } }');
      const question = questions.nodes[0];
      const posts = [question.id, ...question.answers.nodes.map((answer) => answer.id)];
      const { signUp } = await postTo<{ signUp: { token: string } }>(
        a.url,
        'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
        { input: { username: 'watcher_voter', displayName: 'Voter', password: 'password123' } },
      );
      const vote = (id: string) =>
        postTo<{ vote: { score: number } }>(
          a.url,
          'mutation($id: ID!) { vote(input: { targetId: $id, value: UP }) { score } }',
          { id },
          signUp.token,
        );

      const client = wsClient(b.url.replace('/graphql', ''));
      const startOfThread = Buffer.from(`thread:${Buffer.from(question.id, 'base64url').toString().split(':')[1]}:0`);
      const events = watch(client, ThreadEventsDocument, {
        questionId: question.id,
        after: startOfThread.toString('base64url'),
      });
      const scores = watch(client, ScoreChangedDocument, { questionId: question.id });

      // The first vote may come by replay or live; once it has arrived, both streams are live. The
      // demo's own events replay first, so an event is matched by its post and its score.
      const arrived = (postId: string, score: number) =>
        events.results.some((r) => r.data?.threadEvents.postId === postId && r.data.threadEvents.score === score);
      const first = await vote(posts[0]);
      await waitFor(() => arrived(posts[0], first.vote.score));
      const later: number[] = [];
      for (const id of posts.slice(1)) later.push((await vote(id)).vote.score);
      await waitFor(() => scores.results.length >= later.length && arrived(posts.at(-1)!, later.at(-1)!));

      const seqs = events.results.map((r) =>
        Number(Buffer.from(r.data!.threadEvents.cursor, 'base64url').toString().split(':')[2]),
      );
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      const tail = events.results
        .slice(-posts.length)
        .map((r) => [r.data?.threadEvents.kind, r.data?.threadEvents.postId]);
      expect(tail).toEqual(posts.map((id) => ['SCORE_CHANGED', id]));
      const pushed = scores.results.map((r) => [r.data?.scoreChanged.post.id, r.data?.scoreChanged.score]);
      expect(pushed.slice(-later.length)).toEqual(posts.slice(1).map((id, i) => [id, later[i]]));
      expect(new Set(pushed.map((entry) => entry.join())).size).toBe(pushed.length);
    },
    60_000,
  );
});
