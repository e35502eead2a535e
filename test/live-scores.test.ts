import { describe, expect, it } from '@jest/globals';
import { threadEventState } from '../src/realtime/outbox.js';
import { createRealtime } from '../src/realtime/pubsub.js';
import { threadEventStream } from '../src/realtime/stream.js';
import type { ThreadEventKind, ThreadEventMessage } from '../src/realtime/topics.js';
import { ScoreChangedDocument, ScoreChangedWithAuthorDocument } from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, vote } from './support/actions.js';
import { rowIdOf } from './support/ids.js';
import { connect, delay, server, step, useLiveServer, voteProbe } from './support/live.js';
import { watch, whenLive, type Watch } from './support/ws.js';

useLiveServer();

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

    // A socket's watcher consumes its stream: it takes the first score at once, and is still writing
    // it while the rest of the storm arrives.
    const consumed = await threadEventStream(server.db, realtime, questionId, null, { latestScoresOnly: true });
    const taken: Array<[number, number | null]> = [];
    consumed.consume({ take: (message) => void taken.push([message.postId, message.score]), end: () => undefined });
    realtime.publishThreadEvents(storm);
    await delay(100, undefined);
    expect(taken).toEqual([[1, 1]]);
    for (let written = 0; written < 3; written++) consumed.resume();
    expect(taken).toEqual([
      [1, 1],
      [3, null],
      [1, 3],
      [2, 0],
    ]);
    await consumed.return();
    await realtime.close();
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
