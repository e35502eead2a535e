import { describe, expect, it } from '@jest/globals';
import { FlagReason } from '../entities/moderation-enums.js';
import { toGlobalId } from '../src/ids.js';
import {
  FlagPostDocument,
  FlagsDocument,
  ModeratedQuestionDocument,
  ModerationLogDocument,
  NodeDocument,
  ResolveFlagDocument,
} from '../schema/trusted-documents/graphql.js';
import { rowIdOf } from './support/ids.js';
import { answer, answerer, ask, asker, members, moderator, server, useModerationServer } from './support/moderation.js';
import { codeOf, ruleOf } from './support/responses.js';
import { serve } from './support/servers.js';

useModerationServer();

describe('flags', () => {
  it('should take a flag once per member, never on their own post, with a note of at most 500 characters', async () => {
    const questionId = await ask();
    const flag = (token: string, note?: string) =>
      server.gql(FlagPostDocument, { input: { postId: questionId, reason: 'OFF_TOPIC', note } }, token);
    const first = await flag(members[0].token, '  Hors sujet.  ');
    expect(first.data?.flagPost).toMatchObject({ reason: 'OFF_TOPIC', note: 'Hors sujet.', status: 'OPEN' });
    const again = await flag(members[0].token);
    expect([codeOf(again), ruleOf(again)]).toEqual(['BAD_USER_INPUT', 'once']);
    expect(codeOf(await flag(asker.token))).toBe('FORBIDDEN');
    const long = await flag(members[1].token, 'x'.repeat(501));
    expect([codeOf(long), ruleOf(long)]).toEqual(['BAD_USER_INPUT', 'length']);
    const wrongType = await server.gql(
      FlagPostDocument,
      { input: { postId: toGlobalId('User', asker.userId), reason: 'SPAM' } },
      members[1].token,
    );
    expect([codeOf(wrongType), ruleOf(wrongType)]).toEqual(['BAD_USER_INPUT', 'idType']);
    const unknownReason = await server.post(
      {
        query: 'mutation($id: ID!) { flagPost(input: { postId: $id, reason: BORING }) { id } }',
        variables: { id: questionId },
      },
      { authorization: `Bearer ${members[1].token}` },
    );
    expect(codeOf(unknownReason)).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it('should refuse a member past FLAGS_PER_HOUR flags with RATE_LIMITED', async () => {
    const limited = await serve(server.db, { rateLimits: { flagsPerHour: 2 } });
    const questionId = await ask();
    const answerIds = [await answer(questionId), await answer(questionId), await answer(questionId)];
    const flag = (id: string) =>
      limited.app.services.flags.flag(members[5], { rowId: rowIdOf(id), kind: 'answer' }, FlagReason.OFF_TOPIC, null);
    await flag(answerIds[0]);
    await flag(answerIds[1]);
    await expect(flag(answerIds[2])).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });

  it("should serve the queue oldest first to moderators only, and a member's flags hide a post at the threshold", async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    for (const member of members.slice(0, 2)) {
      await server.gql(FlagPostDocument, { input: { postId: answerId, reason: 'SPAM' } }, member.token);
    }
    expect((await server.gql(ModeratedQuestionDocument, { id: questionId })).data?.question?.answerCount).toBe(1);
    await server.gql(FlagPostDocument, { input: { postId: answerId, reason: 'RUDE' } }, members[2].token);
    expect((await server.gql(ModeratedQuestionDocument, { id: questionId })).data?.question?.answerCount).toBe(0);
    expect(codeOf(await server.gql(FlagsDocument, {}, members[0].token))).toBe('FORBIDDEN');
    expect(codeOf(await server.gql(FlagsDocument, {}))).toBe('UNAUTHENTICATED');
    const queue = await server.gql(FlagsDocument, { first: 100 }, moderator.token);
    const mine = queue.data!.flags.nodes.filter((flag) => flag.post?.id === answerId);
    expect(mine.map((flag) => flag.flagger.username)).toEqual(members.slice(0, 3).map((member) => member.username));
    const ids = queue.data!.flags.nodes.map((flag) =>
      Number(Buffer.from(flag.id, 'base64url').toString().split(':')[1]),
    );
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const declined = await server.gql(ResolveFlagDocument, { id: mine[0].id, helpful: false }, moderator.token);
    expect(declined.data?.resolveFlag).toMatchObject({
      status: 'DECLINED',
      handledBy: { username: moderator.username },
    });
    expect((await server.gql(ModeratedQuestionDocument, { id: questionId })).data?.question?.answerCount).toBe(1);
    const open = await server.gql(FlagsDocument, { first: 100 }, moderator.token);
    expect(open.data!.flags.nodes.some((flag) => flag.post?.id === answerId)).toBe(false);
    expect(await server.drift()).toEqual([]);
  });

  it('should serve a hidden post by id to its author and to moderators only, like a deleted one', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    for (const member of members.slice(0, 3)) {
      await server.gql(FlagPostDocument, { input: { postId: answerId, reason: 'SPAM' } }, member.token);
    }
    const readers = [undefined, members[4].token, answerer.token, moderator.token];
    const reads = await Promise.all(readers.map((token) => server.gql(NodeDocument, { id: answerId }, token)));
    expect(reads.map((read) => read.data?.node?.id ?? null)).toEqual([null, null, answerId, answerId]);
    const thread = await server.gql(ModeratedQuestionDocument, { id: questionId }, answerer.token);
    expect(thread.data?.question?.answerCount).toBe(0);
  });

  it('should delete the post a helpful flag is about, and log it', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    const flagged = await server.gql(
      FlagPostDocument,
      { input: { postId: answerId, reason: 'SPAM' } },
      members[3].token,
    );
    const resolved = await server.gql(
      ResolveFlagDocument,
      { id: flagged.data!.flagPost.id, helpful: true },
      moderator.token,
    );
    expect(resolved.data?.resolveFlag.status).toBe('HELPFUL');
    expect((await server.gql(ModeratedQuestionDocument, { id: questionId })).data?.question?.answerCount).toBe(0);
    const log = await server.gql(ModerationLogDocument, { first: 1 }, moderator.token);
    expect(log.data?.moderationLog.nodes[0]).toMatchObject({ kind: 'FLAG_HELPFUL', post: { id: answerId } });
    expect(codeOf(await server.gql(ModerationLogDocument, {}, members[0].token))).toBe('FORBIDDEN');
    expect(await server.drift()).toEqual([]);
  });
});
