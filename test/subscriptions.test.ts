import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { pruneEvents, threadEventState } from '../src/realtime/outbox.js';
import { createRealtime } from '../src/realtime/pubsub.js';
import { threadEventStream } from '../src/realtime/stream.js';
import type { ThreadEventKind, ThreadEventMessage } from '../src/realtime/topics.js';
import {
  AcceptAnswerDocument,
  AnswerAddedDocument,
  DeletePostDocument,
  EditPostDocument,
  PostReplyDocument,
  ReplyAddedDocument,
  ScoreChangedDocument,
  ScoreChangedWithAuthorDocument,
  ThreadEventsDocument,
  ThreadEventsWithAcceptanceDocument,
  ThreadPageDocument,
  UnacceptAnswerDocument,
  VoteDocument,
  type AnswerAddedSubscription,
  type ReplyAddedSubscription,
  type ThreadEventsSubscription,
  type VoteValue,
} from './generated/operations.js';
import { answer, ask, reply, vote, type User } from './support/actions.js';
import type { Response, TestServer } from './support/harness.js';
import { rowIdOf } from './support/ids.js';
import { rawSocket, startTestServer, wsClient } from './support/servers.js';
import {
  closeCodeOf,
  cutConnection,
  failureOf,
  nextMessage,
  socketClosed,
  watch,
  whenLive,
  type Watch,
} from './support/ws.js';

type ThreadEvent = ThreadEventsSubscription['threadEvents'];

let server: TestServer;
/** Writes the probes that tell when a subscription listens (see `whenLive`). */
let prober: User;

beforeAll(async () => {
  server = await startTestServer();
  prober = await server.signUp();
});

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** A graphql-ws client as `user`, or anonymous. */
function connect(user?: User, options: Parameters<typeof wsClient>[2] = {}): Client {
  return wsClient(server.url, user?.token, options);
}

function dataOf<T>(response: Response<T>): T {
  if (response.errors || !response.data) throw new Error(`the write failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

function codeOf(response: Response<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}

/** Sends a vote and returns the response, refused or not. */
function tryVote(user: User, targetId: string, value: VoteValue) {
  return server.gql(VoteDocument, { input: { targetId, value } }, user.token);
}

function edit(user: User, id: string, body: string) {
  return server.gql(EditPostDocument, { input: { id, body } }, user.token);
}

function remove(user: User, id: string) {
  return server.gql(DeletePostDocument, { id }, user.token);
}

function accept(user: User, answerId: string) {
  return server.gql(AcceptAnswerDocument, { answerId }, user.token);
}

/** The cursor of the thread's event number `seq`; `cursorAt(q, 0)` replays the whole thread. */
function cursorAt(questionId: string, seq: number): string {
  return Buffer.from(`thread:${rowIdOf(questionId)}:${seq}`).toString('base64url');
}

/** The event number of a cursor, checking that it names the thread of `questionId`. */
function seqOf(cursor: string, questionId: string): number {
  const match = /^thread:(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  expect(Number(match?.[1])).toBe(rowIdOf(questionId));
  return Number(match?.[2]);
}

/** Every event of the thread from its start (or after `after`), replayed then live. */
function threadEvents(client: Client, questionId: string, after: string | null = cursorAt(questionId, 0)) {
  return watch(client, ThreadEventsDocument, { questionId, after });
}

function eventsOf(results: Watch<ThreadEventsSubscription>['results']): ThreadEvent[] {
  return results.map((result) => {
    if (!result.data) throw new Error(`an event came with errors: ${JSON.stringify(result.errors)}`);
    return result.data.threadEvents;
  });
}

/** The events received, as numbers, kinds, posts and scores. */
function summary(w: Watch<ThreadEventsSubscription>, questionId: string) {
  return eventsOf(w.results).map((event) => ({
    seq: seqOf(event.cursor, questionId),
    kind: event.kind,
    postId: event.postId,
    score: event.score,
  }));
}

/** Runs a write, then waits until `w` received `count` more results. */
async function step<T>(w: Watch<T>, write: () => Promise<unknown>, count = 1): Promise<void> {
  const before = w.results.length;
  await write();
  await w.next(before + count);
}

/** Probes answerAdded watchers: an answer of the prober. */
function answerProbe(questionId: string) {
  return async () => {
    const { id } = await answer(server, prober, questionId, 'Une sonde');
    return (data: AnswerAddedSubscription) => data.answerAdded.id === id;
  };
}

/** Probes replyAdded watchers: a reply of the prober. */
function replyProbe(answerId: string) {
  return async () => {
    const { id } = await reply(server, prober, answerId, 'Une sonde');
    return (data: ReplyAddedSubscription) => data.replyAdded.id === id;
  };
}

/** Probes scoreChanged watchers: an up-vote on the question by a new user, so each probe's score is new. */
function voteProbe(questionId: string) {
  return async () => {
    const { score } = await vote(server, await server.signUp(), questionId, 'UP');
    return (data: { scoreChanged: { score: number; post: { id: string } } }) =>
      data.scoreChanged.post.id === questionId && data.scoreChanged.score === score;
  };
}

/** Probes a live threadEvents watcher: a reply of the prober, under `answerId`. */
function eventProbe(answerId: string) {
  return async () => {
    const { id } = await reply(server, prober, answerId, 'Une sonde');
    return (data: ThreadEventsSubscription) =>
      data.threadEvents.kind === 'REPLY_ADDED' && data.threadEvents.postId === id;
  };
}

describe('answerAdded', () => {
  it('should push an answer posted in the thread, resolved for the watcher', async () => {
    const [asker, answerer] = await Promise.all([server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const watching = watch(connect(answerer), AnswerAddedDocument, { questionId });
    await whenLive([watching], answerProbe(questionId));

    const posted = await answer(server, answerer, questionId, 'Une réponse');
    const [pushed] = await watching.next(1);
    expect(pushed.data?.answerAdded).toEqual({
      id: posted.id,
      body: 'Une réponse',
      score: 0,
      viewerVote: null,
      viewerCanEdit: true,
      author: { username: answerer.username },
      question: { id: questionId, answerCount: posted.question.answerCount },
    });
  });
});

describe('replyAdded', () => {
  it('should push every reply of the thread, under any of its answers, in commit order', async () => {
    const [asker, first, second] = await Promise.all([server.signUp(), server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const answerA = await answer(server, first, questionId, 'Réponse A');
    const answerB = await answer(server, second, questionId, 'Réponse B');
    const watching = watch(connect(first), ReplyAddedDocument, { questionId });
    await whenLive([watching], replyProbe(answerA.id));

    const underA = await reply(server, second, answerA.id, 'Sous A');
    await watching.next(1);
    const underB = await reply(server, asker, answerB.id, 'Sous B');
    await watching.next(2);
    const ownUnderB = await reply(server, first, answerB.id, 'Encore sous B');
    await watching.next(3);

    expect(watching.results.map((result) => result.data?.replyAdded)).toEqual([
      {
        id: underA.id,
        body: 'Sous A',
        viewerCanEdit: false,
        author: { username: second.username },
        answer: { id: answerA.id, replyCount: underA.answer.replyCount },
      },
      {
        id: underB.id,
        body: 'Sous B',
        viewerCanEdit: false,
        author: { username: asker.username },
        answer: { id: answerB.id, replyCount: 1 },
      },
      {
        id: ownUnderB.id,
        body: 'Encore sous B',
        viewerCanEdit: true,
        author: { username: first.username },
        answer: { id: answerB.id, replyCount: 2 },
      },
    ]);
  });
});

describe('scoreChanged', () => {
  it('should push the new score of the question, of an answer and of a reply, with the viewer vote', async () => {
    const [asker, answerer, voter] = await Promise.all([server.signUp(), server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const posted = await answer(server, answerer, questionId);
    const replied = await reply(server, asker, posted.id);
    const watching = watch(connect(voter), ScoreChangedDocument, { questionId });
    await whenLive([watching], voteProbe(questionId));
    const questionScore = (await vote(server, voter, questionId, 'UP')).score;
    await watching.next(1);

    await step(watching, () => vote(server, voter, posted.id, 'DOWN'));
    await step(watching, () => vote(server, voter, replied.id, 'UP'));
    await step(watching, () => vote(server, voter, replied.id, 'NONE'));

    expect(watching.results.map((result) => result.data?.scoreChanged)).toEqual([
      {
        score: questionScore,
        post: { __typename: 'Question', id: questionId, score: questionScore, viewerVote: 'UP' },
      },
      { score: -1, post: { __typename: 'Answer', id: posted.id, score: -1, viewerVote: 'DOWN' } },
      { score: 1, post: { __typename: 'Reply', id: replied.id, score: 1, viewerVote: 'UP' } },
      { score: 0, post: { __typename: 'Reply', id: replied.id, score: 0, viewerVote: null } },
    ]);
  });

  it('should push nothing for a vote that changes nothing', async () => {
    const [asker, voter] = await Promise.all([server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const watching = watch(connect(voter), ScoreChangedDocument, { questionId });
    await whenLive([watching], voteProbe(questionId));
    const { score } = await vote(server, voter, questionId, 'UP');
    await watching.next(1);

    await vote(server, voter, questionId, 'UP');
    await vote(server, voter, questionId, 'DOWN');
    await watching.next(2);

    expect(watching.results.map((result) => result.data?.scoreChanged.score)).toEqual([score, score - 2]);
  });

  it("should give a watcher that is behind each post's last score, skipping the steps between, and every other event", async () => {
    const asker = await server.signUp();
    const questionId = rowIdOf((await ask(server, asker)).id);
    const { lastSeq } = (await threadEventState(server.db, questionId))!;
    const realtime = await createRealtime();
    const at = new Date().toISOString();
    const event = (kind: ThreadEventKind, postId: number, score: number | null): ThreadEventMessage => ({
      questionId,
      seq: 0,
      kind,
      postId,
      postKind: 'answer',
      score,
      at,
    });
    const storm = [
      event('SCORE_CHANGED', 1, 1),
      event('SCORE_CHANGED', 2, 1),
      event('REPLY_ADDED', 3, null),
      event('SCORE_CHANGED', 1, 2),
      event('SCORE_CHANGED', 1, 3),
      event('SCORE_CHANGED', 2, 0),
    ].map((message, i) => ({ ...message, seq: lastSeq + i + 1 }));

    /** The first `count` events a watcher that reads nothing while the storm lasts receives afterwards. */
    const receivedBehind = async (latestScoresOnly: boolean, count: number) => {
      const stream = await threadEventStream(server.db, realtime, questionId, null, { latestScoresOnly });
      realtime.publishThreadEvents(storm);
      // Let the stream hear the whole storm before the watcher reads.
      await delay(100, undefined);
      const received: Array<[number, number | null]> = [];
      while (received.length < count) {
        const { value } = await stream.next();
        received.push([value!.postId, value!.score]);
      }
      await stream.return();
      return received;
    };

    expect(await receivedBehind(true, 3)).toEqual([
      [3, null],
      [1, 3],
      [2, 0],
    ]);
    expect(await receivedBehind(false, storm.length)).toEqual(storm.map((message) => [message.postId, message.score]));
    await realtime.close();
  });
});

describe('threadEvents', () => {
  it('should push every kind of change, with the score of SCORE_CHANGED and a null post once deleted', async () => {
    const [asker, first, second] = await Promise.all([server.signUp(), server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const events = threadEvents(connect(asker), questionId);
    let answerId = '';
    let replyId = '';
    await step(events, async () => (answerId = (await answer(server, first, questionId, 'Première réponse')).id));
    await step(events, async () => (replyId = (await reply(server, second, answerId, 'Une remarque')).id));
    await step(events, () => vote(server, second, answerId, 'UP'));
    await step(events, () => vote(server, first, questionId, 'DOWN'));
    await step(events, async () => dataOf(await edit(first, answerId, 'Réponse corrigée')));
    await step(events, async () => dataOf(await edit(asker, questionId, 'Bonjour à tous')));
    await step(events, async () => dataOf(await accept(asker, answerId)));
    await step(events, async () => dataOf(await server.gql(UnacceptAnswerDocument, { questionId }, asker.token)));
    await step(events, async () => dataOf(await remove(second, replyId)));

    const answerPost = (body: string) => ({ __typename: 'Answer', id: answerId, body });
    expect(
      eventsOf(events.results).map(({ at: _at, ...event }) => ({ ...event, cursor: seqOf(event.cursor, questionId) })),
    ).toEqual([
      { cursor: 1, kind: 'ANSWER_ADDED', postId: answerId, score: null, post: answerPost('Première réponse') },
      {
        cursor: 2,
        kind: 'REPLY_ADDED',
        postId: replyId,
        score: null,
        post: { __typename: 'Reply', id: replyId, body: 'Une remarque' },
      },
      { cursor: 3, kind: 'SCORE_CHANGED', postId: answerId, score: 1, post: answerPost('Première réponse') },
      {
        cursor: 4,
        kind: 'SCORE_CHANGED',
        postId: questionId,
        score: -1,
        post: { __typename: 'Question', id: questionId, body: 'Bonjour' },
      },
      { cursor: 5, kind: 'POST_EDITED', postId: answerId, score: null, post: answerPost('Réponse corrigée') },
      {
        cursor: 6,
        kind: 'POST_EDITED',
        postId: questionId,
        score: null,
        post: { __typename: 'Question', id: questionId, body: 'Bonjour à tous' },
      },
      { cursor: 7, kind: 'ANSWER_ACCEPTED', postId: answerId, score: null, post: answerPost('Réponse corrigée') },
      { cursor: 8, kind: 'ANSWER_UNACCEPTED', postId: answerId, score: null, post: answerPost('Réponse corrigée') },
      { cursor: 9, kind: 'POST_DELETED', postId: replyId, score: null, post: null },
    ]);
    const ats = eventsOf(events.results).map((event) => event.at);
    expect(ats.map((at) => new Date(at).toISOString())).toEqual(ats);
    expect([...ats].sort()).toEqual(ats);
    expect(await server.drift()).toEqual([]);
  });

  it('should push ANSWER_UNACCEPTED of the old answer then ANSWER_ACCEPTED of the new one when another is accepted', async () => {
    const [asker, first, second] = await Promise.all([server.signUp(), server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const firstId = (await answer(server, first, questionId)).id;
    const secondId = (await answer(server, second, questionId)).id;
    const events = watch(connect(), ThreadEventsWithAcceptanceDocument, { questionId, after: cursorAt(questionId, 2) });

    await step(events, async () => dataOf(await accept(asker, firstId)));
    await step(events, async () => dataOf(await accept(asker, secondId)), 2);
    await step(events, async () => dataOf(await remove(second, secondId)), 2);

    expect(
      events.results.map(({ data }) => ({
        ...data?.threadEvents,
        cursor: seqOf(data!.threadEvents.cursor, questionId),
      })),
    ).toEqual([
      { cursor: 3, kind: 'ANSWER_ACCEPTED', postId: firstId, post: { id: firstId, isAccepted: true } },
      { cursor: 4, kind: 'ANSWER_UNACCEPTED', postId: firstId, post: { id: firstId, isAccepted: false } },
      { cursor: 5, kind: 'ANSWER_ACCEPTED', postId: secondId, post: { id: secondId, isAccepted: true } },
      { cursor: 6, kind: 'ANSWER_UNACCEPTED', postId: secondId, post: null },
      { cursor: 7, kind: 'POST_DELETED', postId: secondId, post: null },
    ]);
    const page = dataOf(await server.gql(ThreadPageDocument, { id: questionId }));
    expect(page.question?.acceptedAnswer).toBeNull();
    expect(await server.drift()).toEqual([]);
  });

  it('should never push the events of another thread, on any subscription', async () => {
    const [asker, first, second] = await Promise.all([server.signUp(), server.signUp(), server.signUp()]);
    const watched = (await ask(server, asker)).id;
    const other = (await ask(server, asker)).id;
    const watchedAnswer = await answer(server, first, watched);
    const otherAnswer = await answer(server, first, other);
    const client = connect(second);
    const events = threadEvents(client, watched);
    const answers = watch(client, AnswerAddedDocument, { questionId: watched });
    const replies = watch(client, ReplyAddedDocument, { questionId: watched });
    const scores = watch(client, ScoreChangedDocument, { questionId: watched });
    await whenLive([answers], answerProbe(watched));
    await whenLive([replies], replyProbe(watchedAnswer.id));
    await whenLive([scores], voteProbe(watched));
    const otherEvents = threadEvents(connect(), other);

    const otherReply = await reply(server, second, otherAnswer.id);
    await vote(server, second, otherAnswer.id, 'UP');
    await vote(server, second, other, 'DOWN');
    dataOf(await edit(first, otherAnswer.id, 'Modifiée'));
    dataOf(await accept(asker, otherAnswer.id));
    dataOf(await remove(second, otherReply.id));
    const otherLate = await answer(server, second, other);
    await otherEvents.next(8);

    const sentinelAnswer = await answer(server, second, watched, 'Sentinelle');
    const sentinelReply = await reply(server, second, watchedAnswer.id, 'Sentinelle');
    const sentinelVote = await vote(server, second, watchedAnswer.id, 'UP');
    await Promise.all([answers.next(1), replies.next(1), scores.next(1)]);
    expect(answers.results.map((result) => result.data?.answerAdded.id)).toEqual([sentinelAnswer.id]);
    expect(replies.results.map((result) => result.data?.replyAdded.id)).toEqual([sentinelReply.id]);
    expect(scores.results.map((result) => result.data?.scoreChanged)).toEqual([
      {
        score: sentinelVote.score,
        post: { __typename: 'Answer', id: watchedAnswer.id, score: sentinelVote.score, viewerVote: 'UP' },
      },
    ]);
    const isSentinel = (event: ThreadEvent) => event.kind === 'SCORE_CHANGED' && event.postId === watchedAnswer.id;
    expect(await events.until((result) => !!result.data && isSentinel(result.data.threadEvents), 5000)).toBe(true);
    const seen = summary(events, watched);
    expect(seen.map((event) => event.seq)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.slice(-3).map((event) => [event.kind, event.postId])).toEqual([
      ['ANSWER_ADDED', sentinelAnswer.id],
      ['REPLY_ADDED', sentinelReply.id],
      ['SCORE_CHANGED', watchedAnswer.id],
    ]);
    const otherPosts = [other, otherAnswer.id, otherReply.id, otherLate.id];
    expect(seen.filter((event) => otherPosts.includes(event.postId))).toEqual([]);
    expect(summary(otherEvents, other).map((event) => event.postId)).toEqual([
      otherAnswer.id,
      otherReply.id,
      otherAnswer.id,
      other,
      otherAnswer.id,
      otherAnswer.id,
      otherReply.id,
      otherLate.id,
    ]);
  });

  it('should deliver each of 200 concurrent writes exactly once, numbered 1..N in commit order, the same to every watcher', async () => {
    const asker = await server.signUp();
    const crowd = await Promise.all(Array.from({ length: 20 }, () => server.signUp()));
    const questionId = (await ask(server, asker)).id;
    const answers: string[] = [];
    for (const author of crowd.slice(0, 4)) answers.push((await answer(server, author, questionId)).id);
    const replayed = threadEvents(connect(asker), questionId);
    const live = threadEvents(connect(), questionId, null);
    let probes = 0;
    const probe = eventProbe(answers[0]);
    await whenLive([live], () => {
      probes += 1;
      return probe();
    });
    const before = 4 + probes;

    const targets = [questionId, ...answers];
    const votes = crowd.flatMap((user, i) =>
      targets.map((target, t) => () => tryVote(user, target, (i + t) % 2 === 0 ? 'UP' : 'DOWN')),
    );
    const replies = Array.from(
      { length: 100 },
      (_, i) => () =>
        server.gql(
          PostReplyDocument,
          { input: { answerId: answers[i % 4], body: `Réponse ${i}` } },
          crowd[i % 20].token,
        ),
    );
    const writes = votes.flatMap((write, i) => [write, replies[i]]);
    expect(writes).toHaveLength(200);
    const responses = await Promise.all(writes.map((write) => write()));

    const failed = responses.filter((response) => response.errors);
    expect(failed.map(codeOf)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const succeeded = 200 - failed.length;
    const total = before + succeeded;
    await replayed.next(total, 15_000);
    await live.next(succeeded, 15_000);
    // A write after the burst must be the very next event: nothing was duplicated at the end.
    const sentinel = await reply(server, asker, answers[1], 'Sentinelle');
    await Promise.all([replayed.next(total + 1), live.next(succeeded + 1)]);

    const all = summary(replayed, questionId);
    expect(all.map((event) => event.seq)).toEqual(Array.from({ length: total + 1 }, (_, i) => i + 1));
    expect(all.at(-1)).toEqual({ seq: total + 1, kind: 'REPLY_ADDED', postId: sentinel.id, score: null });
    const burst = all.slice(before, total);
    expect(burst.filter((event) => event.kind === 'SCORE_CHANGED')).toHaveLength(96);
    expect(burst.filter((event) => event.kind === 'REPLY_ADDED')).toHaveLength(100);
    expect(summary(live, questionId)).toEqual(all.slice(before));

    // The last score pushed for each post is its score.
    const page = dataOf(await server.gql(ThreadPageDocument, { id: questionId }));
    const scores = new Map([[questionId, page.question!.score]]);
    for (const node of page.question!.answers.nodes) scores.set(node.id, node.score);
    const lastPushed = new Map(burst.filter((e) => e.kind === 'SCORE_CHANGED').map((e) => [e.postId, e.score]));
    expect(lastPushed).toEqual(scores);
    expect(await server.drift()).toEqual([]);
  });

  it('should publish nothing for a rolled-back write', async () => {
    const [asker, author, other] = await Promise.all([server.signUp(), server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const kept = await answer(server, author, questionId, 'Gardée');
    const gone = await answer(server, author, questionId, 'Supprimée');
    dataOf(await remove(author, gone.id));
    const events = threadEvents(connect(other), questionId);
    await events.next(3);

    expect(codeOf(await tryVote(author, kept.id, 'UP'))).toBe('FORBIDDEN');
    expect(codeOf(await edit(other, kept.id, 'Pas la mienne'))).toBe('FORBIDDEN');
    expect(codeOf(await remove(other, kept.id))).toBe('FORBIDDEN');
    expect(
      codeOf(await server.gql(PostReplyDocument, { input: { answerId: gone.id, body: 'Trop tard' } }, other.token)),
    ).toBe('NOT_FOUND');
    expect(codeOf(await accept(other, kept.id))).toBe('FORBIDDEN');
    expect(codeOf(await accept(asker, gone.id))).toBe('NOT_FOUND');
    const after = await reply(server, other, kept.id, 'Enfin');
    await events.next(4);

    expect(summary(events, questionId)).toEqual([
      { seq: 1, kind: 'ANSWER_ADDED', postId: kept.id, score: null },
      { seq: 2, kind: 'ANSWER_ADDED', postId: gone.id, score: null },
      { seq: 3, kind: 'POST_DELETED', postId: gone.id, score: null },
      { seq: 4, kind: 'REPLY_ADDED', postId: after.id, score: null },
    ]);
    const [stored] = await server.db.query(
      'SELECT count(*)::integer AS count FROM thread_event WHERE question_id = $1',
      [rowIdOf(questionId)],
    );
    expect(stored).toEqual({ count: 4 });
  });
});

describe('resuming threadEvents', () => {
  it('should replay exactly the events missed while disconnected, then go on live without a duplicate at the seam', async () => {
    const [asker, author, watcher, voter] = await Promise.all([
      server.signUp(),
      server.signUp(),
      server.signUp(),
      server.signUp(),
    ]);
    const questionId = (await ask(server, asker)).id;
    const posted = await answer(server, author, questionId);
    const client = connect(watcher);
    const first = threadEvents(client, questionId);
    await first.next(1);
    await step(first, () => vote(server, watcher, posted.id, 'UP'));
    const lastSeen = eventsOf(first.results)[1].cursor;

    const closed = closeCodeOf(client);
    cutConnection(client);
    await closed;
    const missedReply = await reply(server, watcher, posted.id, 'Pendant la coupure');
    dataOf(await edit(author, posted.id, 'Corrigée pendant la coupure'));
    await vote(server, author, questionId, 'UP');

    const resumed = threadEvents(connect(watcher), questionId, lastSeen);
    // Writes racing with the replay: each must come once, after the missed ones.
    await Promise.all([vote(server, voter, questionId, 'DOWN'), vote(server, voter, posted.id, 'UP')]);
    await resumed.next(5);
    const sentinel = await reply(server, author, posted.id, 'Sentinelle');
    await resumed.next(6);

    const events = summary(resumed, questionId);
    expect(events.slice(0, 3)).toEqual([
      { seq: 3, kind: 'REPLY_ADDED', postId: missedReply.id, score: null },
      { seq: 4, kind: 'POST_EDITED', postId: posted.id, score: null },
      { seq: 5, kind: 'SCORE_CHANGED', postId: questionId, score: 1 },
    ]);
    expect(events.slice(3, 5).map((event) => event.seq)).toEqual([6, 7]);
    expect(events.slice(3, 5).map((event) => event.kind)).toEqual(['SCORE_CHANGED', 'SCORE_CHANGED']);
    expect(new Set(events.slice(3, 5).map((event) => event.postId))).toEqual(new Set([questionId, posted.id]));
    expect(events[5]).toEqual({ seq: 8, kind: 'REPLY_ADDED', postId: sentinel.id, score: null });
    expect(first.results).toHaveLength(2);
  });

  it('should give BAD_USER_INPUT on after for a cursor of another thread, garbage or a number past the thread', async () => {
    const [asker, author] = await Promise.all([server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const otherId = (await ask(server, asker)).id;
    await answer(server, author, questionId);
    await answer(server, author, otherId);
    const client = connect();
    const otherEvents = threadEvents(client, otherId);
    const [otherEvent] = await otherEvents.next(1);

    for (const after of [otherEvent.data!.threadEvents.cursor, 'garbage', cursorAt(questionId, 2)]) {
      const errors = await failureOf(threadEvents(client, questionId, after));
      expect(errors.map((error) => error.extensions)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
      ]);
    }
  });

  it('should give BAD_USER_INPUT (rule cursorExpired) for a cursor older than the events kept, and resume from the newest pruned one', async () => {
    const [asker, author, voter] = await Promise.all([server.signUp(), server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const posted = await answer(server, author, questionId);
    await vote(server, voter, posted.id, 'UP');
    await reply(server, voter, posted.id);
    const client = connect(voter);
    const events = threadEvents(client, questionId);
    const cursors = (await events.next(3)).map((result) => result.data!.threadEvents.cursor);

    expect(await pruneEvents(server.db, 0)).toBeGreaterThanOrEqual(3);
    const [stored] = await server.db.query(
      'SELECT count(*)::integer AS count FROM thread_event WHERE question_id = $1',
      [rowIdOf(questionId)],
    );
    expect(stored).toEqual({ count: 0 });

    for (const after of [cursors[0], cursors[1]]) {
      const errors = await failureOf(threadEvents(client, questionId, after));
      expect(errors.map((error) => error.extensions)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after', rule: 'cursorExpired' }),
      ]);
    }
    const resumed = threadEvents(client, questionId, cursors[2]);
    const edited = dataOf(await edit(author, posted.id, 'Après la purge')).editPost;
    await resumed.next(1);
    expect(summary(resumed, questionId)).toEqual([{ seq: 4, kind: 'POST_EDITED', postId: edited.id, score: null }]);
  });
});

describe('deleted posts', () => {
  it('should say POST_DELETED with a null post, push no more of it, and refuse votes on it with NOT_FOUND', async () => {
    const [asker, author, voter, late] = await Promise.all([
      server.signUp(),
      server.signUp(),
      server.signUp(),
      server.signUp(),
    ]);
    const questionId = (await ask(server, asker)).id;
    const posted = await answer(server, author, questionId);
    const replied = await reply(server, voter, posted.id);
    const client = connect(voter);
    const scores = watch(client, ScoreChangedDocument, { questionId });
    await whenLive([scores], voteProbe(questionId));
    const events = threadEvents(client, questionId, null);
    await whenLive([events], eventProbe(posted.id));

    await step(scores, () => vote(server, voter, posted.id, 'UP'));
    await events.next(1);
    await step(events, async () => dataOf(await remove(author, posted.id)));
    expect(codeOf(await tryVote(late, posted.id, 'UP'))).toBe('NOT_FOUND');
    expect(codeOf(await tryVote(late, replied.id, 'UP'))).toBe('NOT_FOUND');
    const sentinel = await vote(server, late, questionId, 'DOWN');
    await scores.next(2);
    await events.next(3);

    expect(scores.results.map((result) => result.data?.scoreChanged)).toEqual([
      { score: 1, post: { __typename: 'Answer', id: posted.id, score: 1, viewerVote: 'UP' } },
      {
        score: sentinel.score,
        post: { __typename: 'Question', id: questionId, score: sentinel.score, viewerVote: null },
      },
    ]);
    expect(eventsOf(events.results).map(({ kind, postId, post }) => ({ kind, postId, post }))).toEqual([
      { kind: 'SCORE_CHANGED', postId: posted.id, post: { __typename: 'Answer', id: posted.id, body: 'Une réponse' } },
      { kind: 'POST_DELETED', postId: posted.id, post: null },
      { kind: 'SCORE_CHANGED', postId: questionId, post: { __typename: 'Question', id: questionId, body: 'Bonjour' } },
    ]);

    // Replayed later, every event of the deleted answer and its reply still names it, with a null post.
    const replay = threadEvents(connect(), questionId);
    const replayed = eventsOf(await replay.next(2));
    expect(replayed.map(({ kind, postId, post }) => ({ kind, postId, post }))).toEqual([
      { kind: 'ANSWER_ADDED', postId: posted.id, post: null },
      { kind: 'REPLY_ADDED', postId: replied.id, post: null },
    ]);
    expect(await server.drift()).toEqual([]);
  });
});

describe('viewer-specific fields', () => {
  it('should resolve viewerVote and viewerCanEdit for each subscriber, not for the writer', async () => {
    const [asker, author, earlyVoter, thirdVoter] = await Promise.all([
      server.signUp(),
      server.signUp(),
      server.signUp(),
      server.signUp(),
    ]);
    const questionId = (await ask(server, asker)).id;
    const sockets = [connect(author), connect(earlyVoter), connect()];
    const answerWatches = sockets.map((client) => watch(client, AnswerAddedDocument, { questionId }));
    const scoreWatches = sockets.map((client) => watch(client, ScoreChangedDocument, { questionId }));
    await whenLive(answerWatches, answerProbe(questionId));
    await whenLive(scoreWatches, voteProbe(questionId));

    const posted = await answer(server, author, questionId, 'Ma réponse');
    const added = await Promise.all(answerWatches.map(async (w) => (await w.next(1))[0].data?.answerAdded));
    expect(added.map((a) => [a?.id, a?.viewerCanEdit, a?.viewerVote])).toEqual([
      [posted.id, true, null],
      [posted.id, false, null],
      [posted.id, false, null],
    ]);

    await vote(server, earlyVoter, posted.id, 'UP');
    await Promise.all(scoreWatches.map((w) => w.next(1)));
    await vote(server, thirdVoter, posted.id, 'UP');
    await Promise.all(scoreWatches.map((w) => w.next(2)));

    const pushed = scoreWatches.map((w) => w.results.map((result) => result.data?.scoreChanged));
    const change = (score: number, viewerVote: VoteValue | null) => ({
      score,
      post: { __typename: 'Answer', id: posted.id, score, viewerVote },
    });
    expect(pushed).toEqual([
      [change(1, null), change(2, null)],
      [change(1, 'UP'), change(2, 'UP')],
      [change(1, null), change(2, null)],
    ]);
  });
});

describe('transport', () => {
  it('should close the socket with 4403 when connectionParams carry a forged token', async () => {
    const user = await server.signUp();
    const forged = user.token.slice(0, -1) + (user.token.endsWith('A') ? 'B' : 'A');
    const client = connect({ ...user, token: forged }, { onNonLazyError: () => undefined });
    expect(await closeCodeOf(client)).toBe(4403);
  });

  it('should let an anonymous socket watch a thread', async () => {
    const [asker, author] = await Promise.all([server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const client = connect();
    const answers = watch(client, AnswerAddedDocument, { questionId });
    await whenLive([answers], answerProbe(questionId));
    const events = threadEvents(client, questionId);

    const posted = await answer(server, author, questionId, 'Pour tout le monde');
    const [pushed] = await answers.next(1);
    expect(pushed.data?.answerAdded).toMatchObject({ id: posted.id, viewerCanEdit: false, viewerVote: null });
    expect(await events.until((result) => result.data?.threadEvents.postId === posted.id, 5000)).toBe(true);
    expect(eventsOf(events.results).at(-1)).toMatchObject({
      kind: 'ANSWER_ADDED',
      postId: posted.id,
      post: { __typename: 'Answer', id: posted.id, body: 'Pour tout le monde' },
    });
  });

  it('should close the socket with 4408 when connection_init does not come within 3 s', async () => {
    const socket = rawSocket(server.url);
    expect(await socketClosed(socket)).toBe(4408);
  });

  it('should serve a message of 60 KiB and close with 1009 the socket that sends one over 64 KiB', async () => {
    const socket = rawSocket(server.url);
    await new Promise((open) => socket.once('open', open));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    expect((await nextMessage(socket)).type).toBe('connection_ack');
    const unknown = Buffer.from('Question:999999').toString('base64url');
    const subscribe = (id: string, bytes: number) =>
      JSON.stringify({
        id,
        type: 'subscribe',
        // Padded through extensions: the document itself stays under the document-size limit.
        payload: {
          query: `subscription { threadEvents(questionId: "${unknown}") { cursor } }`,
          extensions: { padding: 'x'.repeat(bytes) },
        },
      });

    socket.send(subscribe('fits', 60 * 1024));
    expect(await nextMessage(socket)).toMatchObject({
      id: 'fits',
      type: 'next',
      payload: { errors: [{ extensions: { code: 'NOT_FOUND' } }] },
    });
    const closed = socketClosed(socket);
    socket.send(subscribe('too-large', 65 * 1024));
    expect(await closed).toBe(1009);
  });

  it('should refuse the 51st simultaneous subscription of a socket with BAD_USER_INPUT (rule perSocket) while the 50 others keep working', async () => {
    const [asker, author] = await Promise.all([server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const client = connect();
    const watches = Array.from({ length: 50 }, () => threadEvents(client, questionId));
    await answer(server, author, questionId);
    // Each of the 50 gets the event, or says how the server ended it.
    const outcomes = await Promise.all(
      watches.map(async (w) =>
        (await w.until(() => true, 3000))
          ? 'live'
          : Promise.race([
              w.done.then(
                () => 'completed',
                (error: unknown) => error,
              ),
              delay(0, 'silent'),
            ]),
      ),
    );
    expect(outcomes).toEqual(Array(50).fill('live'));

    const errors = await failureOf(threadEvents(client, questionId));
    expect(errors.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', rule: 'perSocket' }),
    ]);
    await answer(server, author, questionId);
    await Promise.all(watches.map((w) => w.next(2)));
    expect(watches.map((w) => w.results.length)).toEqual(Array(50).fill(2));
  });

  it('should give NOT_FOUND on every subscription for an unknown question', async () => {
    const client = connect();
    const questionId = Buffer.from('Question:999999').toString('base64url');
    const watches = [
      watch(client, AnswerAddedDocument, { questionId }),
      watch(client, ReplyAddedDocument, { questionId }),
      watch(client, ScoreChangedDocument, { questionId }),
      watch(client, ThreadEventsDocument, { questionId }),
    ];
    for (const w of watches) {
      const errors = await failureOf(w as Watch<unknown>);
      expect(errors.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    }
  });

  it("should give BAD_USER_INPUT on questionId when it is an Answer's id", async () => {
    const [asker, author] = await Promise.all([server.signUp(), server.signUp()]);
    const posted = await answer(server, author, (await ask(server, asker)).id);
    const client = connect();
    const watches = [
      watch(client, AnswerAddedDocument, { questionId: posted.id }),
      watch(client, ReplyAddedDocument, { questionId: posted.id }),
      watch(client, ScoreChangedDocument, { questionId: posted.id }),
      watch(client, ThreadEventsDocument, { questionId: posted.id }),
    ];
    for (const w of watches) {
      const errors = await failureOf(w as Watch<unknown>);
      expect(errors.map((error) => error.extensions)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'questionId' }),
      ]);
    }
  });
});

describe('fan-out', () => {
  it('should run the same statements to deliver one event to 20 watchers as to 1', async () => {
    const asker = await server.signUp();
    const author = await server.signUp();
    const questionId = (await ask(server, asker)).id;
    const posted = await answer(server, author, questionId);
    const signedIn = await Promise.all(Array.from({ length: 10 }, () => server.signUp()));
    for (const user of signedIn.slice(1, 4)) await vote(server, user, posted.id, 'UP');
    const first = watch(connect(signedIn[0]), ScoreChangedWithAuthorDocument, { questionId });
    await whenLive([first], voteProbe(questionId));

    /** The statements run while a new user's up-vote on the answer reaches every watch. */
    const deliver = async (watches: Array<Watch<unknown>>) => {
      const voter = await server.signUp();
      server.sql.length = 0;
      await vote(server, voter, posted.id, 'UP');
      await Promise.all(watches.map((w) => w.next(1)));
      return [...server.sql];
    };
    const toOne = await deliver([first]);
    expect(first.results[0].data?.scoreChanged).toEqual({
      score: 4,
      post: { id: posted.id, score: 4, viewerVote: null, author: { username: author.username } },
    });

    const others = [...signedIn.slice(1), ...Array.from({ length: 10 }, () => undefined)].map((user) =>
      watch(connect(user), ScoreChangedWithAuthorDocument, { questionId }),
    );
    const twenty = [first, ...others];
    expect(twenty).toHaveLength(20);
    await whenLive(twenty, voteProbe(questionId));
    const toTwenty = await deliver(twenty as Array<Watch<unknown>>);

    expect(twenty.map((w) => w.results[0].data?.scoreChanged.post.viewerVote)).toEqual([
      null,
      'UP',
      'UP',
      'UP',
      ...Array(16).fill(null),
    ]);
    expect(toTwenty.length).toBe(toOne.length);
    expect([...toTwenty].sort()).toEqual([...toOne].sort());
  });
});
