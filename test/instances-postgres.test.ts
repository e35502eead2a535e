import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { ScoreChangedDocument, ThreadEventsDocument } from '../schema/trusted-documents/graphql.js';
import { createTestDatabase } from './support/harness.js';
import { killServices, postTo, startService, type ServiceProcess } from './support/process.js';
import { watch, wsClient } from './support/ws.js';
import { waitFor } from './support/wait.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let a: ServiceProcess;
let b: ServiceProcess;
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  // No REDIS_URL, whatever the environment says: the instances have only their database in common.
  a = await startService({ DATABASE_URL: database.url, REDIS_URL: undefined, SEED_DEMO: 'true' });
  b = await startService({ DATABASE_URL: database.url, REDIS_URL: undefined, SEED_DEMO: 'false' });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  const exitCodes = await Promise.all([a, b].filter(Boolean).map((service) => service.stop()));
  killServices();
  await database?.drop();
  expect(exitCodes).toEqual([0, 0]);
});

describe('two instances on one database, without Redis', () => {
  it('should deliver votes made through one instance to a watcher on the other, once each and in order', async () => {
    const { questions } = await postTo<{
      questions: { nodes: Array<{ id: string; eventCursor: string; answers: { nodes: Array<{ id: string }> } }> };
    }>(a.url, '{ questions(first: 1) { nodes { id eventCursor answers(first: 10) { nodes { id } } } } }');
    const question = questions.nodes[0];
    const posts = [question.id, ...question.answers.nodes.map((answer) => answer.id)];
    const { signUp } = await postTo<{ signUp: { token: string } }>(
      b.url,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
      { input: { username: 'voter_through_b', displayName: 'Voter', password: 'password123' } },
    );

    const client = wsClient(a.url.replace('/graphql', ''));
    clients.push(client);
    const events = watch(client, ThreadEventsDocument, { questionId: question.id, after: question.eventCursor });
    const scores = watch(client, ScoreChangedDocument, { questionId: question.id });
    const voted: Array<[string, number]> = [];
    for (const id of posts) {
      const { vote } = await postTo<{ vote: { score: number } }>(
        b.url,
        'mutation($id: ID!) { vote(input: { targetId: $id, value: UP }) { score } }',
        { id },
        signUp.token,
      );
      voted.push([id, vote.score]);
    }

    await waitFor(() => events.results.length >= posts.length);
    // scoreChanged starts at "now": it hears the votes made once it listened, which include the last.
    await waitFor(() => scores.results.some((r) => r.data?.scoreChanged.post.id === posts.at(-1)));
    await new Promise((settle) => setTimeout(settle, 300));
    expect(events.results.map((r) => [r.data?.threadEvents.postId, r.data?.threadEvents.score])).toEqual(voted);
    const seqs = events.results.map((r) =>
      Number(Buffer.from(r.data!.threadEvents.cursor, 'base64url').toString().split(':')[2]),
    );
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
    const pushed = scores.results.map((r): [string, number] => [
      r.data!.scoreChanged.post.id,
      r.data!.scoreChanged.score,
    ]);
    expect(voted.slice(-pushed.length)).toEqual(pushed);
  }, 60_000);
});
