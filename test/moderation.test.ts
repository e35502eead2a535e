import { describe, expect, it } from '@jest/globals';
import { applyAdminUsernames } from '../src/services/standing.service.js';
import { toGlobalId } from '../src/ids.js';
import {
  AcceptAnswerDocument,
  CloseQuestionDocument,
  DeletePostDocument,
  EditPostDocument,
  FlagPostDocument,
  LockQuestionDocument,
  MarkNotificationsReadDocument,
  ModeratedQuestionDocument,
  ModerationLogDocument,
  NodeDocument,
  NotificationsDocument,
  PostAnswerDocument,
  PostReplyDocument,
  ReopenQuestionDocument,
  ResolveFlagDocument,
  StandingDocument,
  SuspendUserDocument,
  ThreadEventsDocument,
  UndeletePostDocument,
  UnsuspendUserDocument,
  VoteDocument,
} from '../schema/trusted-documents/graphql.js';
import type { User } from './support/actions.js';
import { answer, answerer, ask, asker, members, moderator, server, useModerationServer } from './support/moderation.js';
import { codeOf, ruleOf } from './support/responses.js';
import { watch, whenLive, wsClient } from './support/ws.js';

useModerationServer();

describe('roles', () => {
  it('should make the accounts ADMIN_USERNAMES names admins, whatever the case, and leave the others members', async () => {
    const named = await server.signUp('Named_admin');
    expect(await applyAdminUsernames(server.db, ['named_ADMIN', 'nobody_here'])).toBe(1);
    expect(await applyAdminUsernames(server.db, ['named_admin'])).toBe(0);
    const [boss, other] = await Promise.all(
      [named.username, asker.username].map((username) => server.gql(StandingDocument, { username })),
    );
    expect(boss.data?.user?.role).toBe('ADMIN');
    expect(other.data?.user?.role).toBe('MEMBER');
  });
});

describe('close, reopen and lock', () => {
  it('should check a duplicate: required, not itself, not deleted, a question', async () => {
    const questionId = await ask();
    const other = await ask('Une autre question ici');
    const close = (duplicateOfId?: string, reason: 'DUPLICATE' | 'UNCLEAR' = 'DUPLICATE') =>
      server.gql(CloseQuestionDocument, { input: { questionId, reason, duplicateOfId } }, moderator.token);
    expect(ruleOf(await close())).toBe('required');
    expect(ruleOf(await close(questionId))).toBe('self');
    expect(ruleOf(await close(other, 'UNCLEAR'))).toBe('duplicateOnly');
    const gone = await ask('Une question supprimée');
    await server.gql(DeletePostDocument, { id: gone }, asker.token);
    expect([codeOf(await close(gone)), ruleOf(await close(gone))]).toEqual(['BAD_USER_INPUT', 'live']);
    expect(ruleOf(await close(toGlobalId('User', asker.userId)))).toBe('idType');
    const closed = await close(other);
    expect(closed.data?.closeQuestion).toMatchObject({ closeReason: 'DUPLICATE', duplicateOf: { id: other } });
    expect(codeOf(await server.gql(PostAnswerDocument, { input: { questionId, body: 'Non.' } }, answerer.token))).toBe(
      'FORBIDDEN',
    );
    const reopened = await server.gql(ReopenQuestionDocument, { questionId }, moderator.token);
    expect(reopened.data?.reopenQuestion).toEqual({ id: questionId, closedAt: null, closeReason: null });
    await answer(questionId);
  });

  it('should refuse members every write in a locked thread but let moderators act', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    await server.gql(LockQuestionDocument, { questionId, locked: true }, moderator.token);
    const refused = await Promise.all([
      server.gql(PostAnswerDocument, { input: { questionId, body: 'Non.' } }, members[4].token),
      server.gql(PostReplyDocument, { input: { answerId, body: 'Non.' } }, members[4].token),
      server.gql(VoteDocument, { input: { targetId: answerId, value: 'UP' } }, members[4].token),
      server.gql(EditPostDocument, { input: { id: answerId, body: 'Revu.' } }, answerer.token),
      server.gql(FlagPostDocument, { input: { postId: answerId, reason: 'SPAM' } }, members[4].token),
    ]);
    expect(refused.map(codeOf)).toEqual(Array(5).fill('FORBIDDEN'));
    const reply = await server.gql(PostReplyDocument, { input: { answerId, body: 'Verrouillé.' } }, moderator.token);
    expect(reply.errors).toBeUndefined();
    const vote = await server.gql(VoteDocument, { input: { targetId: answerId, value: 'UP' } }, moderator.token);
    expect(vote.data?.vote.score).toBe(1);
    await server.gql(LockQuestionDocument, { questionId, locked: false }, moderator.token);
    const after = await server.gql(VoteDocument, { input: { targetId: answerId, value: 'UP' } }, members[4].token);
    expect(after.data?.vote.score).toBe(2);
    expect(await server.drift()).toEqual([]);
  });
});

describe('undelete', () => {
  it('should restore what a deletion took: replies, counts, tags and reputation', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    await server.gql(PostReplyDocument, { input: { answerId, body: 'Une réplique.' } }, asker.token);
    await server.gql(VoteDocument, { input: { targetId: answerId, value: 'UP' } }, members[5].token);
    await server.gql(VoteDocument, { input: { targetId: questionId, value: 'UP' } }, members[5].token);
    const before = await server.gql(ModeratedQuestionDocument, { id: questionId });
    const deleted = await server.gql(DeletePostDocument, { id: questionId }, moderator.token);
    expect(deleted.errors).toBeUndefined();
    expect((await server.gql(ModeratedQuestionDocument, { id: questionId })).data?.question).toBeNull();
    expect(codeOf(await server.gql(UndeletePostDocument, { id: questionId }, asker.token))).toBe('FORBIDDEN');
    const restored = await server.gql(UndeletePostDocument, { id: questionId }, moderator.token);
    expect(restored.errors).toBeUndefined();
    expect(await server.gql(ModeratedQuestionDocument, { id: questionId })).toEqual(before);
    const again = await server.gql(UndeletePostDocument, { id: questionId }, moderator.token);
    expect(ruleOf(again)).toBe('notDeleted');
    expect(await server.drift()).toEqual([]);
    const log = await server.gql(ModerationLogDocument, { first: 2 }, moderator.token);
    expect(log.data?.moderationLog.nodes.map((action) => action.kind)).toEqual(['POST_UNDELETED', 'POST_DELETED']);
  });
});

describe('suspension', () => {
  it('should refuse a suspension in the past or more than a year ahead', async () => {
    const suspend = (until: Date) =>
      server.gql(
        SuspendUserDocument,
        { input: { userId: toGlobalId('User', members[6].userId), until: until.toISOString(), reason: 'Spam' } },
        moderator.token,
      );
    expect(ruleOf(await suspend(new Date(Date.now() - 1000)))).toBe('future');
    expect(ruleOf(await suspend(new Date(Date.now() + 366 * 24 * 3600 * 1000)))).toBe('max');
  });

  it('should refuse every write of a suspended member, naming the end, and read null once it is past', async () => {
    const questionId = await ask();
    const until = new Date(Date.now() + 3600 * 1000);
    const target = members[7];
    const suspended = await server.gql(
      SuspendUserDocument,
      { input: { userId: toGlobalId('User', target.userId), until: until.toISOString(), reason: 'Spam' } },
      moderator.token,
    );
    expect(suspended.data?.suspendUser.suspendedUntil).toBe(until.toISOString());
    const refused = await server.gql(PostAnswerDocument, { input: { questionId, body: 'Non.' } }, target.token);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toContain(until.toISOString());
    expect((await server.gql(ModeratedQuestionDocument, { id: questionId }, target.token)).errors).toBeUndefined();
    await server.db.query(`UPDATE "user" SET suspended_until = now() - interval '1 second' WHERE id = $1`, [
      target.userId,
    ]);
    const standing = await server.gql(StandingDocument, { username: target.username });
    expect(standing.data?.user?.suspendedUntil).toBeNull();
  });

  it('should notify a member suspended for a post of theirs, naming it, and refuse a post of another author', async () => {
    const questionId = await ask();
    const target = await server.signUp('Suspended_for_post');
    const cause = await answer(questionId, target);
    const suspend = (postId: string) =>
      server.gql(
        SuspendUserDocument,
        {
          input: {
            userId: toGlobalId('User', target.userId),
            until: new Date(Date.now() + 3600 * 1000).toISOString(),
            reason: 'Spam',
            postId,
          },
        },
        moderator.token,
      );
    const refused = await suspend(questionId);
    expect([codeOf(refused), ruleOf(refused)]).toEqual(['BAD_USER_INPUT', 'author']);
    await server.gql(DeletePostDocument, { id: cause }, moderator.token);
    expect((await suspend(cause)).errors).toBeUndefined();
    const notified = await server.gql(NotificationsDocument, { first: 1 }, target.token);
    expect(notified.data?.notifications.nodes[0]).toMatchObject({ kind: 'MODERATION', post: { id: cause } });
    const log = await server.gql(ModerationLogDocument, { first: 1 }, moderator.token);
    expect(log.data?.moderationLog.nodes[0]).toMatchObject({ kind: 'USER_SUSPENDED', post: { id: cause } });
  });
  it('should refuse the writes of a member suspended while their WebSocket is open, and allow them once unsuspended', async () => {
    const questionId = await ask();
    const target = await server.signUp('Suspended_on_socket');
    const client = wsClient(server.url, target.token);
    const send = async () => {
      const results: Array<{ errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }> = [];
      const query = `mutation { postAnswer(input: { questionId: "${questionId}", body: "Par la socket." }) { id } }`;
      for await (const result of client.iterate({ query })) results.push(result);
      return results[0]?.errors?.[0]?.extensions?.code ?? null;
    };
    try {
      expect(await send()).toBeNull();
      const userId = toGlobalId('User', target.userId);
      const until = new Date(Date.now() + 3600 * 1000).toISOString();
      await server.gql(SuspendUserDocument, { input: { userId, until, reason: 'Spam' } }, moderator.token);
      expect(await send()).toBe('FORBIDDEN');
      await server.gql(UnsuspendUserDocument, { userId }, moderator.token);
      expect(await send()).toBeNull();
    } finally {
      await client.dispose();
    }
  });
});

describe('notifications', () => {
  it('should notify the author whose question a moderator closed, and the author of an accepted answer', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    await server.gql(CloseQuestionDocument, { input: { questionId, reason: 'UNCLEAR' } }, moderator.token);
    await server.gql(AcceptAnswerDocument, { answerId }, asker.token);
    const [forAsker, forAnswerer] = await Promise.all(
      [asker, answerer].map((user) => server.gql(NotificationsDocument, { first: 1 }, user.token)),
    );
    expect(forAsker.data?.notifications.nodes[0]).toMatchObject({ kind: 'MODERATION', post: { id: questionId } });
    expect(forAnswerer.data?.notifications.nodes[0]).toMatchObject({ kind: 'ANSWER_ACCEPTED', post: { id: answerId } });
  });

  it("should list a moderator's deletion among the author's notifications, with the deleted post", async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    const deleted = await server.gql(DeletePostDocument, { id: answerId }, moderator.token);
    expect(deleted.errors).toBeUndefined();
    const notified = await server.gql(NotificationsDocument, { first: 1 }, answerer.token);
    expect(notified.errors).toBeUndefined();
    expect(notified.data?.notifications.nodes[0]).toMatchObject({ kind: 'MODERATION', post: { id: answerId } });
    expect((await server.gql(NodeDocument, { id: answerId }, members[0].token)).data?.node).toBeNull();
  });

  it('should notify the author whose question a moderator locked, and whose post one restored or deleted on a flag', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    /** The user's newest unread notification, or null; all of theirs are read after. */
    const news = async (user: User) => {
      const { data } = await server.gql(NotificationsDocument, { first: 1, unreadOnly: true }, user.token);
      await server.gql(MarkNotificationsReadDocument, { all: true }, user.token);
      return data?.notifications.nodes[0] ?? null;
    };
    await Promise.all([news(asker), news(answerer)]);
    await server.gql(LockQuestionDocument, { questionId, locked: true }, moderator.token);
    expect(await news(asker)).toMatchObject({ kind: 'MODERATION', post: { id: questionId } });
    await server.gql(LockQuestionDocument, { questionId, locked: false }, moderator.token);
    expect(await news(asker)).toBeNull();
    await server.gql(DeletePostDocument, { id: answerId }, answerer.token);
    expect(await news(answerer)).toBeNull();
    await server.gql(UndeletePostDocument, { id: answerId }, moderator.token);
    expect(await news(answerer)).toMatchObject({ kind: 'MODERATION', post: { id: answerId } });
    const flagged = await server.gql(
      FlagPostDocument,
      { input: { postId: answerId, reason: 'OFF_TOPIC' } },
      members[5].token,
    );
    await server.gql(ResolveFlagDocument, { id: flagged.data!.flagPost.id, helpful: true }, moderator.token);
    expect(await news(answerer)).toMatchObject({ kind: 'MODERATION', post: { id: answerId } });
  });
});

describe('watchers', () => {
  it('should see a thread closed, reopened, locked, unlocked and a post restored, in order', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    const client = wsClient(server.url);
    try {
      const events = watch(client, ThreadEventsDocument, { questionId });
      await whenLive([events], async () => {
        const body = `Sonde ${Math.random()}`;
        await server.gql(EditPostDocument, { input: { id: questionId, body } }, asker.token);
        return (data) => data.threadEvents.post?.body === body;
      });
      await server.gql(CloseQuestionDocument, { input: { questionId, reason: 'TOO_BROAD' } }, moderator.token);
      await server.gql(ReopenQuestionDocument, { questionId }, moderator.token);
      await server.gql(LockQuestionDocument, { questionId, locked: true }, moderator.token);
      await server.gql(LockQuestionDocument, { questionId, locked: false }, moderator.token);
      await server.gql(DeletePostDocument, { id: answerId }, answerer.token);
      // Each event serves its post as it is when sent: the deletion must go out before the undeletion.
      await events.next(5);
      await server.gql(UndeletePostDocument, { id: answerId }, moderator.token);
      const pushed = await events.next(6);
      expect(
        pushed.map((result) => [result.data?.threadEvents.kind, result.data?.threadEvents.post?.id ?? null]),
      ).toEqual([
        ['QUESTION_CLOSED', questionId],
        ['QUESTION_REOPENED', questionId],
        ['QUESTION_LOCKED', questionId],
        ['QUESTION_UNLOCKED', questionId],
        ['POST_DELETED', null],
        ['POST_RESTORED', answerId],
      ]);
      events.stop();
      // From the outbox, after the first of them, the rest again (each post as it is now).
      const replayed = await watch(client, ThreadEventsDocument, {
        questionId,
        after: pushed[0].data!.threadEvents.cursor,
      }).next(5);
      const withoutPost = (result: (typeof pushed)[number]) => ({ ...result.data?.threadEvents, post: undefined });
      expect(replayed.map(withoutPost)).toEqual(pushed.slice(1).map(withoutPost));
    } finally {
      await client.dispose();
    }
  });
});

describe('concurrency', () => {
  it('should hide a post exactly once when many members flag it at once', async () => {
    const questionId = await ask();
    const answerId = await answer(questionId);
    const results = await Promise.all(
      members.map((member) =>
        server.gql(FlagPostDocument, { input: { postId: answerId, reason: 'SPAM' } }, member.token),
      ),
    );
    // Once hidden, the post is gone for the members who come after.
    expect(results.filter((result) => result.errors === undefined).length).toBeGreaterThanOrEqual(3);
    expect(results.every((result) => result.errors === undefined || codeOf(result) === 'NOT_FOUND')).toBe(true);
    const [{ deletions }]: Array<{ deletions: number }> = await server.db.query(
      `SELECT count(*)::integer AS deletions FROM thread_event WHERE post_id = $1 AND kind = 'POST_DELETED'`,
      [Number(Buffer.from(answerId, 'base64url').toString().split(':')[1])],
    );
    expect(deletions).toBe(1);
    expect(await server.drift()).toEqual([]);
  });

  it('should keep every counter exact when a moderator undeletes while the author edits', async () => {
    for (let round = 0; round < 5; round++) {
      const questionId = await ask();
      const answerId = await answer(questionId);
      await server.gql(VoteDocument, { input: { targetId: answerId, value: 'UP' } }, asker.token);
      await server.gql(DeletePostDocument, { id: answerId }, answerer.token);
      const [restored, edited] = await Promise.all([
        server.gql(UndeletePostDocument, { id: answerId }, moderator.token),
        server.gql(EditPostDocument, { input: { id: answerId, body: `Revu ${round}.` } }, answerer.token),
      ]);
      expect(restored.errors).toBeUndefined();
      expect(edited.errors === undefined || codeOf(edited) === 'NOT_FOUND').toBe(true);
    }
    expect(await server.drift()).toEqual([]);
  });
});
