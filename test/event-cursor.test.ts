import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isObjectType } from 'graphql';
import type { Client } from 'graphql-ws';
import { pruneEvents } from '../src/realtime/outbox.js';
import { createRealtime } from '../src/realtime/pubsub.js';
import { buildThreadSchema } from '../src/schema.js';
import {
  AskQuestionDocument,
  PostAnswerDocument,
  PostReplyDocument,
  ThreadEventsDocument,
  ThreadPageDocument,
  ThreadViewDocument,
  VoteDocument,
  type ThreadEventsSubscription,
  type VoteValue,
} from '../schema/trusted-documents/graphql.js';
import { startTestServer, type Response, type TestServer } from './support/harness.js';
import { failureOf, watch, wsClient, type Watch } from './support/ws.js';

type User = Awaited<ReturnType<TestServer['signUp']>>;

let server: TestServer;
let asker: User;
let voters: User[];
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer();
  asker = await server.signUp();
  voters = await Promise.all(Array.from({ length: 12 }, () => server.signUp()));
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await server.close();
});

function dataOf<T>(response: Response<T>): T {
  if (response.errors || !response.data) throw new Error(`the operation failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

async function ask(): Promise<string> {
  const input = { title: 'Comment attirer des entrepreneurs ?', body: 'Bonjour', tags: ['reseau'] };
  return dataOf(await server.gql(AskQuestionDocument, { input }, asker.token)).askQuestion.id;
}

async function answer(user: User, questionId: string, body: string): Promise<string> {
  return dataOf(await server.gql(PostAnswerDocument, { input: { questionId, body } }, user.token)).postAnswer.id;
}

async function reply(user: User, answerId: string, body: string): Promise<string> {
  return dataOf(await server.gql(PostReplyDocument, { input: { answerId, body } }, user.token)).postReply.id;
}

async function vote(user: User, targetId: string, value: VoteValue): Promise<void> {
  dataOf(await server.gql(VoteDocument, { input: { targetId, value } }, user.token));
}

async function page(questionId: string) {
  const question = dataOf(await server.gql(ThreadPageDocument, { id: questionId })).question;
  if (!question) throw new Error('the question is gone');
  return question;
}

function subscribe(questionId: string, after: string | null): Watch<ThreadEventsSubscription> {
  const client = wsClient(server.url);
  clients.push(client);
  return watch(client, ThreadEventsDocument, { questionId, after });
}

function eventsOf(w: Watch<ThreadEventsSubscription>) {
  return w.results.map((result) => {
    if (!result.data) throw new Error(`an event came with errors: ${JSON.stringify(result.errors)}`);
    const { kind, postId, score } = result.data.threadEvents;
    return { kind, postId, score };
  });
}

describe('Question.eventCursor', () => {
  it('should be served as the contract extension names it: Question.eventCursor: String!', async () => {
    const served = await buildThreadSchema((await createRealtime()).pubsub);
    const question = served.getType('Question');
    expect(isObjectType(question) && String(question.getFields().eventCursor?.type)).toBe('String!');
  });

  it('should be valid before the thread has any event, and replay from its start', async () => {
    const questionId = await ask();
    const { eventCursor } = await page(questionId);
    const events = subscribe(questionId, eventCursor);
    const answerId = await answer(voters[0], questionId, 'La première réponse');
    await events.next(1);
    expect(eventsOf(events)).toEqual([{ kind: 'ANSWER_ADDED', postId: answerId, score: null }]);
  });

  it('should deliver each write committed between the page and the subscription once, and nothing the page holds', async () => {
    const questionId = await ask();
    const answerId = await answer(voters[0], questionId, 'Déjà sur la page');
    await vote(voters[1], answerId, 'UP');
    const { eventCursor, answers } = await page(questionId);
    expect(answers.nodes.map((node) => node.score)).toEqual([1]);

    // Committed after the page was read, before anyone subscribed.
    await vote(voters[2], answerId, 'UP');
    const replyId = await reply(voters[3], answerId, 'Pendant que la page chargeait');
    await vote(voters[4], questionId, 'DOWN');

    const events = subscribe(questionId, eventCursor);
    await events.next(3);
    // And live from there on.
    const laterId = await answer(voters[5], questionId, 'Après l’abonnement');
    await events.next(4);
    expect(eventsOf(events)).toEqual([
      { kind: 'SCORE_CHANGED', postId: answerId, score: 2 },
      { kind: 'REPLY_ADDED', postId: replyId, score: null },
      { kind: 'SCORE_CHANGED', postId: questionId, score: -1 },
      { kind: 'ANSWER_ADDED', postId: laterId, score: null },
    ]);
    expect(await events.until(() => false, 300)).toBe(false);
    expect(events.results).toHaveLength(4);
  });

  it('should be read in the same snapshot as the page, while votes commit concurrently', async () => {
    const questionId = await ask();
    const reads: Array<{ score: number; eventCursor: string }> = [];
    let voting = true;
    const reading = (async () => {
      while (voting) {
        const { score, eventCursor } = await page(questionId);
        reads.push({ score, eventCursor });
      }
    })();
    await Promise.all(voters.map((voter) => vote(voter, questionId, 'UP')));
    voting = false;
    await reading;
    const final = voters.length;
    // Each read's cursor replays exactly the votes its score lacks: one more each, up to the last.
    for (const { score, eventCursor } of reads) {
      const events = subscribe(questionId, eventCursor);
      if (score < final) await events.next(final - score);
      expect(await events.until(() => false, 100)).toBe(false);
      expect(eventsOf(events).map((event) => event.score)).toEqual(
        Array.from({ length: final - score }, (_, i) => score + i + 1),
      );
      events.stop();
    }
  });

  it('should cost no statement beyond the thread page', async () => {
    const questionId = await ask();
    await answer(voters[0], questionId, 'Une réponse');
    server.sql.length = 0;
    dataOf(await server.gql(ThreadViewDocument, { id: questionId }));
    expect(server.sql).toHaveLength(1);
  });
});

describe('a cursor threadEvents refuses', () => {
  it("should refuse another thread's eventCursor with BAD_USER_INPUT (rule cursor)", async () => {
    const [one, other] = [await ask(), await ask()];
    const { eventCursor } = await page(other);
    const [error] = await failureOf(subscribe(one, eventCursor));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'cursor' });
  });

  it('should refuse a malformed cursor with BAD_USER_INPUT (rule cursor)', async () => {
    const [error] = await failureOf(subscribe(await ask(), 'not-a-cursor'));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'cursor' });
  });

  it('should refuse an eventCursor older than the events kept with BAD_USER_INPUT (rule cursorExpired)', async () => {
    const questionId = await ask();
    const { eventCursor } = await page(questionId);
    await answer(voters[0], questionId, 'Bientôt élaguée');
    await pruneEvents(server.db, 0);
    const [error] = await failureOf(subscribe(questionId, eventCursor));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'cursorExpired' });
  });
});
