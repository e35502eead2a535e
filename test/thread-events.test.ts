import { describe, expect, it } from '@jest/globals';
import {
  AnswerAddedDocument,
  PostReplyDocument,
  ReplyAddedDocument,
  ScoreChangedDocument,
  ThreadEventsWithAcceptanceDocument,
  ThreadPageDocument,
  UnacceptAnswerDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, vote } from './support/actions.js';
import { rowIdOf } from './support/ids.js';
import {
  accept,
  answeredQuestion,
  answerProbe,
  codeOf,
  connect,
  cursorAt,
  dataOf,
  edit,
  eventProbe,
  eventsOf,
  remove,
  replyProbe,
  seqOf,
  server,
  step,
  summary,
  threadEvents,
  tryVote,
  useLiveServer,
  voteProbe,
  type ThreadEvent,
} from './support/live.js';
import { watch, whenLive } from './support/ws.js';

useLiveServer();

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
    await whenLive(
      [live],
      () => {
        probes += 1;
        return probe();
      },
      { ms: 1000 },
    );
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
    // Budgets for a loaded machine: how fast the burst goes out is the bench's business.
    await replayed.next(total, 45_000);
    await live.next(succeeded, 45_000);
    // A write after the burst must be the very next event: nothing was duplicated at the end.
    const sentinel = await reply(server, asker, answers[1], 'Sentinelle');
    await Promise.all([replayed.next(total + 1, 15_000), live.next(succeeded + 1, 15_000)]);

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
  }, 180_000);

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

describe('deleted posts', () => {
  it('should say POST_DELETED with a null post, push no more of it, and refuse votes on it with NOT_FOUND', async () => {
    const {
      users: [, author, voter, late],
      questionId,
      posted,
    } = await answeredQuestion(4);
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
