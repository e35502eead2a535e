import { describe, expect, it } from '@jest/globals';
import { pruneEvents } from '../src/realtime/outbox.js';
import { answer, ask, reply, vote } from './support/actions.js';
import { rowIdOf } from './support/ids.js';
import {
  answeredQuestion,
  connect,
  cursorAt,
  dataOf,
  edit,
  eventsOf,
  server,
  step,
  summary,
  threadEvents,
  useLiveServer,
} from './support/live.js';
import { closeCodeOf, cutConnection, failureOf } from './support/ws.js';

useLiveServer();

describe('resuming threadEvents', () => {
  it('should replay exactly the events missed while disconnected, then go on live without a duplicate at the seam', async () => {
    const {
      users: [, author, watcher, voter],
      questionId,
      posted,
    } = await answeredQuestion(4);
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
    const {
      users: [, author, voter],
      questionId,
      posted,
    } = await answeredQuestion(3);
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
