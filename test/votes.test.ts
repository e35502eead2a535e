import { describe, expect, it } from '@jest/globals';
import { DeletePostDocument, TagQuestionsDocument, type VoteValue } from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, signUpMany, type User } from './support/actions.js';
import { globalId, rowIdOf } from './support/ids.js';
import { codesOf } from './support/responses.js';
import { crowd, read, reputationOf, server, useVoteServer, vote, voteRows } from './support/votes.js';

/** Three voters: no test here needs more. */
useVoteServer(3);

describe('vote changes', () => {
  it('should move the score by -2 when an UP vote becomes DOWN', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const answerId = (await answer(server, author, (await ask(server, author)).id)).id;

    const up = await vote(voter, answerId, 'UP');
    expect(up.errors).toBeUndefined();
    expect(up.data!.vote).toMatchObject({ __typename: 'Answer', score: 1, viewerVote: 'UP' });
    expect(up.data!.vote.author.reputation).toBe(1);

    const down = await vote(voter, answerId, 'DOWN');
    expect(down.errors).toBeUndefined();
    expect(down.data!.vote).toMatchObject({ score: -1, viewerVote: 'DOWN' });
    expect(down.data!.vote.author.reputation).toBe(-1);
    expect(await read(answerId, voter)).toMatchObject({ score: -1, viewerVote: 'DOWN' });
    expect(await voteRows(answerId)).toEqual({ count: 1, sum: -1 });
    expect(await server.drift()).toEqual([]);
  });

  it('should move the score by +1 when a DOWN vote is retracted with NONE', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const answerId = (await answer(server, author, (await ask(server, author)).id)).id;

    const down = await vote(voter, answerId, 'DOWN');
    expect(down.errors).toBeUndefined();
    expect(down.data!.vote).toMatchObject({ score: -1, viewerVote: 'DOWN' });

    const none = await vote(voter, answerId, 'NONE');
    expect(none.errors).toBeUndefined();
    expect(none.data!.vote).toMatchObject({ score: 0, viewerVote: null });
    expect(none.data!.vote.author.reputation).toBe(0);
    expect(await read(answerId, voter)).toMatchObject({ score: 0, viewerVote: null });
    expect(await voteRows(answerId)).toEqual({ count: 0, sum: 0 });
    expect(await server.drift()).toEqual([]);
  });

  it('should change nothing when NONE is sent without a vote', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const answerId = (await answer(server, author, (await ask(server, author)).id)).id;

    const none = await vote(voter, answerId, 'NONE');

    expect(none.errors).toBeUndefined();
    expect(none.data!.vote).toMatchObject({ score: 0, viewerVote: null });
    expect(await reputationOf(author)).toBe(0);
    expect(await voteRows(answerId)).toEqual({ count: 0, sum: 0 });
    expect(await server.drift()).toEqual([]);
  });

  it('should change nothing when the same vote is sent again', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const answerId = (await answer(server, author, (await ask(server, author)).id)).id;

    for (const value of ['UP', 'UP', 'DOWN', 'DOWN'] as const) {
      const result = await vote(voter, answerId, value);
      expect(result.errors).toBeUndefined();
      expect(result.data!.vote).toMatchObject({ score: value === 'UP' ? 1 : -1, viewerVote: value });
      expect(result.data!.vote.author.reputation).toBe(value === 'UP' ? 1 : -1);
    }
    expect(await voteRows(answerId)).toEqual({ count: 1, sum: -1 });
    expect(await server.drift()).toEqual([]);
  });

  it('should show a vote as viewerVote to its voter only, never to an anonymous reader or another user', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter, other] = crowd;
    const answerId = (await answer(server, author, (await ask(server, author)).id)).id;

    expect(await read(answerId, voter)).toMatchObject({ score: 0, viewerVote: null });
    for (const value of ['UP', 'DOWN', 'NONE'] as const) {
      expect((await vote(voter, answerId, value)).errors).toBeUndefined();
      const score = { UP: 1, DOWN: -1, NONE: 0 }[value];
      expect(await read(answerId, voter)).toMatchObject({ score, viewerVote: value === 'NONE' ? null : value });
      expect(await read(answerId, null)).toMatchObject({ score, viewerVote: null });
      expect(await read(answerId, other)).toMatchObject({ score, viewerVote: null });
      expect(await read(answerId, author)).toMatchObject({ score, viewerVote: null });
    }
  });
});

describe('vote refusals', () => {
  it("should give FORBIDDEN when voting on one's own post, and change nothing", async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const questionId = (await ask(server, author)).id;
    const answerId = (await answer(server, author, questionId)).id;
    expect((await vote(voter, answerId, 'UP')).errors).toBeUndefined();

    for (const [post, value] of [
      [questionId, 'UP'],
      [answerId, 'DOWN'],
      [answerId, 'NONE'],
    ] as const) {
      const result = await vote(author, post, value);
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
      expect(result.data).toBeNull();
    }
    expect(await read(questionId, author)).toMatchObject({ score: 0, viewerVote: null });
    expect(await read(answerId, author)).toMatchObject({ score: 1, viewerVote: null });
    expect(await reputationOf(author)).toBe(1);
    expect(await voteRows(questionId)).toEqual({ count: 0, sum: 0 });
    expect(await voteRows(answerId)).toEqual({ count: 1, sum: 1 });
    expect(await server.drift()).toEqual([]);
  });

  it('should give UNAUTHENTICATED to an anonymous vote, and change nothing', async () => {
    const [author] = await signUpMany(server, 1);
    const questionId = (await ask(server, author)).id;

    const result = await vote(null, questionId, 'UP');

    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.data).toBeNull();
    expect(await read(questionId)).toMatchObject({ score: 0 });
    expect(await voteRows(questionId)).toEqual({ count: 0, sum: 0 });
  });

  it('should give NOT_FOUND to a vote on a deleted post, and change nothing', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const questionId = (await ask(server, author)).id;
    const answerId = (await answer(server, author, questionId)).id;
    expect((await server.gql(DeletePostDocument, { id: answerId }, author.token)).errors).toBeUndefined();

    const result = await vote(voter, answerId, 'UP');

    expect(codesOf(result)).toEqual(['NOT_FOUND']);
    expect(result.data).toBeNull();
    expect(await voteRows(answerId)).toEqual({ count: 0, sum: 0 });
    expect(await reputationOf(author)).toBe(0);
    expect(await server.drift()).toEqual([]);
  });

  it('should give NOT_FOUND to a vote on an unknown post id', async () => {
    const [voter] = crowd;
    for (const type of ['Question', 'Answer', 'Reply']) {
      const result = await vote(voter, globalId(type, 999999), 'UP');
      expect(codesOf(result)).toEqual(['NOT_FOUND']);
      expect(result.data).toBeNull();
    }
  });

  it('should give NOT_FOUND when the id names a post of another type than the stored one', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const questionId = (await ask(server, author)).id;
    const answerId = (await answer(server, author, questionId)).id;

    for (const forged of [globalId('Reply', rowIdOf(questionId)), globalId('Question', rowIdOf(answerId))]) {
      const result = await vote(voter, forged, 'UP');
      expect(codesOf(result)).toEqual(['NOT_FOUND']);
      expect(result.data).toBeNull();
    }
    expect(await voteRows(questionId)).toEqual({ count: 0, sum: 0 });
    expect(await voteRows(answerId)).toEqual({ count: 0, sum: 0 });
    expect(await server.drift()).toEqual([]);
  });

  it('should give BAD_USER_INPUT on targetId when it is the id of a User or a Tag', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    await ask(server, author, { tags: ['vote-target'] });
    const tag = await server.gql(TagQuestionsDocument, { name: 'vote-target' });
    const tagId = tag.data!.tag!.id;

    for (const targetId of [globalId('User', author.userId), tagId]) {
      const result = await vote(voter, targetId, 'UP');
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions).toMatchObject({ field: 'targetId', rule: 'idType' });
      expect(result.data).toBeNull();
    }
  });

  it('should give BAD_USER_INPUT on targetId when it is not a global id', async () => {
    const [voter] = crowd;
    for (const targetId of ['', 'not an id', Buffer.from('Question:abc').toString('base64url'), 'UXVlc3Rpb246MQ==']) {
      const result = await vote(voter, targetId, 'UP');
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions).toMatchObject({ field: 'targetId', rule: 'globalId' });
      expect(result.data).toBeNull();
    }
  });
});

describe('votes and reputation', () => {
  it('should vote on a question, an answer and a reply, returning each as its own type', async () => {
    const [asker, answerer, replier] = await signUpMany(server, 3);
    const [voter] = crowd;
    const questionId = (await ask(server, asker)).id;
    const answerId = (await answer(server, answerer, questionId)).id;
    const replyId = (await reply(server, replier, answerId)).id;

    for (const [id, typename] of [
      [questionId, 'Question'],
      [answerId, 'Answer'],
      [replyId, 'Reply'],
    ] as const) {
      const result = await vote(voter, id, 'UP');
      expect(result.errors).toBeUndefined();
      expect(result.data!.vote).toMatchObject({ __typename: typename, id, score: 1, viewerVote: 'UP' });
      expect(await read(id, voter)).toMatchObject({ __typename: typename, score: 1, viewerVote: 'UP' });
    }
    expect(await Promise.all([asker, answerer, replier].map(reputationOf))).toEqual([1, 1, 1]);
    expect(await server.drift()).toEqual([]);
  });

  it("should keep reputation equal to the sum of the scores of the author's posts, and drop a deleted post's score", async () => {
    const [author, other] = await signUpMany(server, 2);
    const [v1, v2, v3] = crowd;
    const questionId = (await ask(server, author)).id;
    const othersAnswerId = (await answer(server, other, questionId)).id;
    const replyId = (await reply(server, author, othersAnswerId)).id;
    const ownAnswerId = (await answer(server, author, questionId)).id;
    const votes: Array<[User, string, VoteValue]> = [
      [v1, questionId, 'UP'],
      [v2, questionId, 'UP'],
      [v3, questionId, 'UP'],
      [v1, ownAnswerId, 'DOWN'],
      [v1, replyId, 'UP'],
      [v2, replyId, 'UP'],
      [v3, othersAnswerId, 'UP'],
    ];
    for (const [voter, post, value] of votes) expect((await vote(voter, post, value)).errors).toBeUndefined();

    const scores = await Promise.all([questionId, ownAnswerId, replyId].map(async (id) => (await read(id))!.score));
    expect(scores).toEqual([3, -1, 2]);
    expect(await reputationOf(author)).toBe(4);
    expect(await reputationOf(other)).toBe(1);

    expect((await server.gql(DeletePostDocument, { id: replyId }, author.token)).errors).toBeUndefined();
    expect(await read(replyId)).toBeNull();
    expect(await reputationOf(author)).toBe(2);
    expect(await server.drift()).toEqual([]);

    expect((await server.gql(DeletePostDocument, { id: ownAnswerId }, author.token)).errors).toBeUndefined();
    expect(await reputationOf(author)).toBe(3);
    expect(await server.drift()).toEqual([]);

    // Deleting the question takes the other author's answer, and its score, with it.
    expect((await server.gql(DeletePostDocument, { id: questionId }, author.token)).errors).toBeUndefined();
    expect(await reputationOf(author)).toBe(0);
    expect(await reputationOf(other)).toBe(0);
    expect(await server.drift()).toEqual([]);
  });
});
