import { beforeAll, expect } from '@jest/globals';
import type { Client } from 'graphql-ws';
import {
  AcceptAnswerDocument,
  DeletePostDocument,
  EditPostDocument,
  ThreadEventsDocument,
  VoteDocument,
  type AnswerAddedSubscription,
  type ReplyAddedSubscription,
  type ThreadEventsSubscription,
  type VoteValue,
} from '../../schema/trusted-documents/graphql.js';
import { answer, ask, reply, signUpMany, vote, type User } from './actions.js';
import type { Response, TestServer } from './harness.js';
import { rowIdOf } from './ids.js';
import { startTestServer, wsClient } from './servers.js';
import { watch, type Watch } from './ws.js';

/*
 * The shared setup of the subscription suites: one server a file, the writes they make, the
 * thread's cursors and the probes that tell when a subscription listens (see `whenLive`).
 */

export type ThreadEvent = ThreadEventsSubscription['threadEvents'];

/** The file's server, started by `useLiveServer`. */
export let server: TestServer;
/** Writes the probes that tell when a subscription listens (see `whenLive`). */
export let prober: User;

/** Starts `server` and signs `prober` up before the file's tests. */
export function useLiveServer(): void {
  beforeAll(async () => {
    server = await startTestServer();
    prober = await server.signUp();
  });
}

export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** A graphql-ws client as `user`, or anonymous. */
export function connect(user?: User, options: Parameters<typeof wsClient>[2] = {}): Client {
  return wsClient(server.url, user?.token, options);
}

export function dataOf<T>(response: Response<T>): T {
  if (response.errors || !response.data) throw new Error(`the write failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

export { codeOf } from './responses.js';

/** Sends a vote and returns the response, refused or not. */
export function tryVote(user: User, targetId: string, value: VoteValue) {
  return server.gql(VoteDocument, { input: { targetId, value } }, user.token);
}

export function edit(user: User, id: string, body: string) {
  return server.gql(EditPostDocument, { input: { id, body } }, user.token);
}

export function remove(user: User, id: string) {
  return server.gql(DeletePostDocument, { id }, user.token);
}

export function accept(user: User, answerId: string) {
  return server.gql(AcceptAnswerDocument, { answerId }, user.token);
}

/** `count` new users (at least two): the first asks a question, the second answers it. */
export async function answeredQuestion(count: number) {
  const users = await signUpMany(server, count);
  const questionId = (await ask(server, users[0])).id;
  const posted = await answer(server, users[1], questionId);
  return { users, questionId, posted };
}

/** The cursor of the thread's event number `seq`; `cursorAt(q, 0)` replays the whole thread. */
export function cursorAt(questionId: string, seq: number): string {
  return Buffer.from(`thread:${rowIdOf(questionId)}:${seq}`).toString('base64url');
}

/** The event number of a cursor, checking that it names the thread of `questionId`. */
export function seqOf(cursor: string, questionId: string): number {
  const match = /^thread:(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  expect(Number(match?.[1])).toBe(rowIdOf(questionId));
  return Number(match?.[2]);
}

/** Every event of the thread from its start (or after `after`), replayed then live. */
export function threadEvents(client: Client, questionId: string, after: string | null = cursorAt(questionId, 0)) {
  return watch(client, ThreadEventsDocument, { questionId, after });
}

export function eventsOf(results: Watch<ThreadEventsSubscription>['results']): ThreadEvent[] {
  return results.map((result) => {
    if (!result.data) throw new Error(`an event came with errors: ${JSON.stringify(result.errors)}`);
    return result.data.threadEvents;
  });
}

/** The events received, as numbers, kinds, posts and scores. */
export function summary(w: Watch<ThreadEventsSubscription>, questionId: string) {
  return eventsOf(w.results).map((event) => ({
    seq: seqOf(event.cursor, questionId),
    kind: event.kind,
    postId: event.postId,
    score: event.score,
  }));
}

/** Runs a write, then waits until `w` received `count` more results. */
export async function step<T>(w: Watch<T>, write: () => Promise<unknown>, count = 1): Promise<void> {
  const before = w.results.length;
  await write();
  await w.next(before + count);
}

/** Probes answerAdded watchers: an answer of the prober. */
export function answerProbe(questionId: string) {
  return async () => {
    const { id } = await answer(server, prober, questionId, 'Une sonde');
    return (data: AnswerAddedSubscription) => data.answerAdded.id === id;
  };
}

/** Probes replyAdded watchers: a reply of the prober. */
export function replyProbe(answerId: string) {
  return async () => {
    const { id } = await reply(server, prober, answerId, 'Une sonde');
    return (data: ReplyAddedSubscription) => data.replyAdded.id === id;
  };
}

/** Probes scoreChanged watchers: an up-vote on the question by a new user, so each probe's score is new. */
export function voteProbe(questionId: string) {
  return async () => {
    const { score } = await vote(server, await server.signUp(), questionId, 'UP');
    return (data: { scoreChanged: { score: number; post: { id: string } } }) =>
      data.scoreChanged.post.id === questionId && data.scoreChanged.score === score;
  };
}

/** Probes a live threadEvents watcher: a reply of the prober, under `answerId`. */
export function eventProbe(answerId: string) {
  return async () => {
    const { id } = await reply(server, prober, answerId, 'Une sonde');
    return (data: ThreadEventsSubscription) =>
      data.threadEvents.kind === 'REPLY_ADDED' && data.threadEvents.postId === id;
  };
}
