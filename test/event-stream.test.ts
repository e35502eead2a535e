import { beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-sse';
import {
  AnswerAddedDocument,
  ThreadEventsDocument,
  type AnswerAddedSubscription,
  type ThreadEventsSubscription,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, vote, type User } from './support/actions.js';
import { serve, type TestServer } from './support/harness.js';
import { nestedConnections } from './support/hostile.js';
import { rowIdOf } from './support/ids.js';
import { leave, startTestServer } from './support/servers.js';
import { watch, whenLive, type Watch } from './support/ws.js';

let server: TestServer;
let author: User;
beforeAll(async () => {
  server = await startTestServer();
  author = await server.signUp();
});

/** graphql-sse's own client on /graphql/stream (distinct connections), as `user` or anonymous. */
function sseClient(user?: User, url = server.url): Client {
  const client = createClient({
    url: `${url}/graphql/stream`,
    headers: user ? { authorization: `Bearer ${user.token}` } : {},
    retryAttempts: 0,
  });
  leave(() => client.dispose());
  return client;
}

/** The cursor of the thread's event number `seq`; `cursorAt(q, 0)` replays the whole thread. */
function cursorAt(questionId: string, seq: number): string {
  return Buffer.from(`thread:${rowIdOf(questionId)}:${seq}`).toString('base64url');
}

/** The event numbers received, in order of arrival. */
function seqsOf(w: Watch<ThreadEventsSubscription>): number[] {
  return w.results.map((result) => {
    if (!result.data) throw new Error(`an event came with errors: ${JSON.stringify(result.errors)}`);
    return Number(/:(\d+)$/.exec(Buffer.from(result.data.threadEvents.cursor, 'base64url').toString())?.[1]);
  });
}

/** The errors of the one result `query` (sent as written) gets before its stream completes. */
function refusalOf(query: string): Promise<readonly GraphQLFormattedError[]> {
  const results: unknown[] = [];
  return new Promise((resolve, reject) => {
    sseClient().subscribe(
      { query },
      {
        next: (result) => results.push(result),
        error: reject,
        complete: () => {
          const [only] = results as Array<{ errors?: GraphQLFormattedError[] }>;
          if (results.length === 1 && only.errors) resolve(only.errors);
          else reject(new Error(`expected one errored result, got ${JSON.stringify(results)}`));
        },
      },
    );
  });
}

describe('subscriptions over Server-Sent Events (/graphql/stream)', () => {
  it('should replay threadEvents after a cursor, then push the live ones, each once and in order', async () => {
    const { id: questionId } = await ask(server, author);
    await answer(server, author, questionId, 'Première');
    await answer(server, author, questionId, 'Deuxième');
    const w = watch(sseClient(), ThreadEventsDocument, { questionId, after: cursorAt(questionId, 0) });
    await w.next(2);
    const { id: answerId } = await answer(server, author, questionId, 'Troisième');
    await vote(server, await server.signUp(), answerId, 'UP');
    await w.next(4);
    expect(seqsOf(w)).toEqual([1, 2, 3, 4]);
    expect(w.results.map((result) => result.data?.threadEvents.kind)).toEqual([
      'ANSWER_ADDED',
      'ANSWER_ADDED',
      'ANSWER_ADDED',
      'SCORE_CHANGED',
    ]);
    w.stop();
  });

  it('should resume from the last cursor after a reconnect, missing and repeating nothing', async () => {
    const { id: questionId } = await ask(server, author);
    const client = sseClient();
    const first = watch(client, ThreadEventsDocument, { questionId, after: cursorAt(questionId, 0) });
    await answer(server, author, questionId, 'Avant la coupure');
    await first.next(1);
    first.stop();
    const last = first.results.at(-1)!.data!.threadEvents.cursor;
    // Written while no stream is open: the resumed subscription replays them from the outbox.
    await answer(server, author, questionId, 'Pendant la coupure');
    await answer(server, author, questionId, 'Pendant la coupure, encore');
    const resumed = watch(client, ThreadEventsDocument, { questionId, after: last });
    await resumed.next(2);
    await answer(server, author, questionId, 'Après la reprise');
    await resumed.next(3);
    expect([...seqsOf(first), ...seqsOf(resumed)]).toEqual([1, 2, 3, 4]);
    resumed.stop();
  });

  it("should resolve the viewer from the request's Authorization header", async () => {
    const { id: questionId } = await ask(server, author);
    const [mine, anonymous] = [sseClient(author), sseClient()].map((client) =>
      watch(client, AnswerAddedDocument, { questionId }),
    );
    let probes = 0;
    await whenLive([mine, anonymous], async () => {
      const body = `Sonde ${++probes}`;
      await answer(server, author, questionId, body);
      return (data: AnswerAddedSubscription) => data.answerAdded.body === body;
    });
    await answer(server, author, questionId, 'La mienne');
    const [[own], [seen]] = await Promise.all([mine.next(1), anonymous.next(1)]);
    expect(own.data?.answerAdded.viewerCanEdit).toBe(true);
    expect(seen.data?.answerAdded.viewerCanEdit).toBe(false);
    mine.stop();
    anonymous.stop();
  });

  it('should answer a bad token with 401 and UNAUTHENTICATED before any stream opens', async () => {
    const response = await fetch(`${server.url}/graphql/stream`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: JSON.stringify({ query: 'subscription { scoreChanged(questionId: "x") { score } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    ['three nested first: 100 connections', nestedConnections, { code: 'QUERY_TOO_COMPLEX', limit: 'cost' }],
    ['a syntax error', 'subscription { threadEvents(questionId: ) { cursor }', { code: 'GRAPHQL_PARSE_FAILED' }],
    ['a typo', 'subscription { threadEvent(questionId: "x") { cursor } }', { code: 'GRAPHQL_VALIDATION_FAILED' }],
    [
      'a malformed cursor',
      'subscription { threadEvents(questionId: "UXVlc3Rpb246MQ", after: "garbage") { cursor } }',
      { code: 'BAD_USER_INPUT' },
    ],
  ])('should refuse %s with the code it gets over WebSocket', async (_name, query, extensions) => {
    const errors = await refusalOf(query);
    expect(errors).toHaveLength(1);
    expect(errors[0].extensions).toMatchObject(extensions);
  });

  it('should end its open streams when the app closes, rather than wait for them', async () => {
    const { id: questionId } = await ask(server, author);
    // Written first: a second app hears only its own writes live, and replays the rest.
    await answer(server, author, questionId, 'Une réponse');
    // Not left to the leftovers: closing it is what the test does.
    const other = await serve(server.db);
    const w = watch(sseClient(undefined, other.url), ThreadEventsDocument, {
      questionId,
      after: cursorAt(questionId, 0),
    });
    await w.next(1);
    const started = Date.now();
    await other.close();
    await w.done.catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
