import { describe, expect, it } from '@jest/globals';
import {
  AnswerAddedDocument,
  ReplyAddedDocument,
  ScoreChangedDocument,
  type VoteValue,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, vote } from './support/actions.js';
import { answerProbe, connect, replyProbe, server, useLiveServer, voteProbe } from './support/live.js';
import { watch, whenLive } from './support/ws.js';

useLiveServer();

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
