import { describe, expect, it } from '@jest/globals';
import type { VoteValue } from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, signUpMany, type User } from './support/actions.js';
import type { Response } from './support/harness.js';
import { crowd, read, reputationOf, server, useVoteServer, vote, voteRows } from './support/votes.js';

/** 100 voters: the widest test sends a vote from each at once. */
useVoteServer(100);

/** A small deterministic generator (mulberry32), so a failing storm can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('vote under concurrency', () => {
  it('should count each of 100 concurrent UP votes by different users exactly once', async () => {
    const [author, asker] = await signUpMany(server, 2);
    const voters = crowd;
    const answerId = (await answer(server, author, (await ask(server, asker)).id)).id;
    const reputationBefore = await reputationOf(author);

    const results = await Promise.all(voters.map((voter) => vote(voter, answerId, 'UP')));

    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    // Votes on one post apply one after another: each sees the score its own vote made.
    const scores = results.map((result) => result.data!.vote.score).sort((a, b) => a - b);
    expect(scores).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(results.every((result) => result.data!.vote.viewerVote === 'UP')).toBe(true);
    expect((await read(answerId))?.score).toBe(100);
    expect(await reputationOf(author)).toBe(reputationBefore + 100);
    expect(await voteRows(answerId)).toEqual({ count: 100, sum: 100 });
    expect(await server.drift()).toEqual([]);
  });

  it('should count the same UP vote sent 10 times at once by one user as one vote', async () => {
    const [author] = await signUpMany(server, 1);
    const [voter] = crowd;
    const answerId = (await answer(server, author, (await ask(server, author)).id)).id;

    const results = await Promise.all(Array.from({ length: 10 }, () => vote(voter, answerId, 'UP')));

    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    expect(results.map((result) => result.data!.vote.score)).toEqual(Array.from({ length: 10 }, () => 1));
    expect(await read(answerId, voter)).toMatchObject({ score: 1, viewerVote: 'UP' });
    expect(await reputationOf(author)).toBe(1);
    expect(await voteRows(answerId)).toEqual({ count: 1, sum: 1 });
    expect(await server.drift()).toEqual([]);
  });

  it('should keep every score equal to its vote rows when 30 users flip UP, DOWN and NONE on 3 posts at once', async () => {
    const [asker, answerer, replier] = await signUpMany(server, 3);
    const voters = crowd.slice(0, 30);
    const questionId = (await ask(server, asker)).id;
    const answerId = (await answer(server, answerer, questionId)).id;
    const replyId = (await reply(server, replier, answerId)).id;
    const posts = [questionId, answerId, replyId];
    const values: VoteValue[] = ['UP', 'DOWN', 'NONE'];
    const next = random(20261126);

    // Each voter sends 2 votes per post, in a shuffled order, one after another; all voters at once.
    const plans = voters.map((voter) => {
      const steps = posts
        .flatMap((post) => [post, post])
        .map((post) => ({ post, value: values[Math.floor(next() * 3)], order: next() }))
        .sort((a, b) => a.order - b.order);
      return { voter, steps };
    });
    const results = await Promise.all(
      plans.map(async ({ voter, steps }) => {
        const sent: Array<Response<unknown>> = [];
        for (const { post, value } of steps) sent.push(await vote(voter, post, value));
        return sent;
      }),
    );

    expect(results.flat().flatMap((result) => result.errors ?? [])).toEqual([]);
    const lastVote = (voter: User, post: string): VoteValue =>
      plans
        .find((plan) => plan.voter === voter)!
        .steps.filter((step) => step.post === post)
        .at(-1)!.value;
    for (const [post, author] of [
      [questionId, asker],
      [answerId, answerer],
      [replyId, replier],
    ] as const) {
      const expected = voters.reduce((sum, voter) => sum + { UP: 1, DOWN: -1, NONE: 0 }[lastVote(voter, post)], 0);
      const voted = voters.filter((voter) => lastVote(voter, post) !== 'NONE').length;
      expect(await voteRows(post)).toEqual({ count: voted, sum: expected });
      expect((await read(post))?.score).toBe(expected);
      expect(await reputationOf(author)).toBe(expected);
      const seen = await Promise.all(voters.map(async (voter) => (await read(post, voter))?.viewerVote ?? 'NONE'));
      expect(seen).toEqual(voters.map((voter) => lastVote(voter, post)));
    }
    expect(await server.drift()).toEqual([]);
  });
});
