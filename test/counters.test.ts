import { beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AskQuestionDocument,
  DeletePostDocument,
  EditPostDocument,
  FollowQuestionDocument,
  PostAnswerDocument,
  PostReplyDocument,
  QuestionCountersDocument,
  QuestionsDocument,
  RepliesDocument,
  TagQuestionsDocument,
  TagsDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, aQuestion, ask, reply, signUpMany, type User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { rowIdOf } from './support/ids.js';
import { codesOf } from './support/responses.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
/** Sign-ups are slow (argon2), so the scenarios share these users. */
let crowd: User[];
beforeAll(async () => {
  server = await startTestServer();
  crowd = await signUpMany(server, 22);
});

function askRaw(user: User, tags: string[]) {
  return server.gql(AskQuestionDocument, { input: { ...aQuestion, tags } }, user.token);
}

/** The question's counters as `viewer` (or an anonymous reader) sees them. */
async function countersOf(questionId: string, viewer?: User | null) {
  const result = await server.gql(QuestionCountersDocument, { id: questionId }, viewer?.token);
  expect(result.errors).toBeUndefined();
  return result.data!.question!;
}

function follow(user: User | null, questionId: string, follows: boolean) {
  return server.gql(FollowQuestionDocument, { questionId, follow: follows }, user?.token);
}

async function followRows(questionId: string, user?: User): Promise<number> {
  const [{ count }]: Array<{ count: number }> = await server.db.query(
    'SELECT count(*)::integer AS count FROM follow WHERE question_id = $1 AND ($2::integer IS NULL OR user_id = $2)',
    [rowIdOf(questionId), user?.userId ?? null],
  );
  return count;
}

async function tagCount(name: string): Promise<{ questionCount: number; totalCount: number } | null> {
  const result = await server.gql(TagQuestionsDocument, { name });
  expect(result.errors).toBeUndefined();
  const tag = result.data!.tag;
  return tag && { questionCount: tag.questionCount, totalCount: tag.questions.totalCount };
}

/** Lets the millisecond clock of the timestamps move on, so that two writes never share one. */
const nextMillisecond = () => sleep(3);

describe('reply and answer counts', () => {
  it('should count 20 concurrent replies to one answer as 20', async () => {
    const question = await ask(server, crowd[20]);
    const answered = await answer(server, crowd[21], question.id);

    const results = await Promise.all(
      crowd
        .slice(0, 20)
        .map((user) => server.gql(PostReplyDocument, { input: { answerId: answered.id, body: 'Me too' } }, user.token)),
    );

    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    const replyIds = results.map((result) => result.data!.postReply.id);
    expect(new Set(replyIds).size).toBe(20);
    const page = await server.gql(RepliesDocument, { answerId: answered.id, first: 100 });
    expect(page.errors).toBeUndefined();
    const node = page.data!.node as {
      replyCount: number;
      replies: { totalCount: number; nodes: Array<{ id: string }> };
    };
    expect(node.replyCount).toBe(20);
    expect(node.replies.totalCount).toBe(20);
    expect(node.replies.nodes.map((replied) => replied.id).sort()).toEqual([...replyIds].sort());
    expect((await countersOf(question.id)).answerCount).toBe(1);
    expect(await server.drift()).toEqual([]);
  });

  it('should count 20 concurrent answers to one question as 20', async () => {
    const question = await ask(server, crowd[21]);

    const results = await Promise.all(
      crowd
        .slice(0, 20)
        .map((user) =>
          server.gql(PostAnswerDocument, { input: { questionId: question.id, body: 'Here is how' } }, user.token),
        ),
    );

    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    const answerIds = results.map((result) => result.data!.postAnswer.id);
    expect(new Set(answerIds).size).toBe(20);
    const counters = await countersOf(question.id);
    expect(counters.answerCount).toBe(20);
    expect(counters.answers.totalCount).toBe(20);
    expect(counters.answers.nodes.map((answered) => answered.id).sort()).toEqual([...answerIds].sort());
    expect(await server.drift()).toEqual([]);
  });
});

describe('followQuestion', () => {
  it('should make the asker a follower of their question from the start', async () => {
    const [asker, other] = crowd;

    const question = await ask(server, asker);

    expect(question).toMatchObject({ followerCount: 1, viewerIsFollowing: true });
    expect(await countersOf(question.id, asker)).toMatchObject({ followerCount: 1, viewerIsFollowing: true });
    expect(await countersOf(question.id, other)).toMatchObject({ followerCount: 1, viewerIsFollowing: false });
    expect(await countersOf(question.id, null)).toMatchObject({ followerCount: 1, viewerIsFollowing: false });
    expect(await followRows(question.id, asker)).toBe(1);
    expect(await server.drift()).toEqual([]);
  });

  it('should count 20 users following at once, on top of the asker', async () => {
    const question = await ask(server, crowd[21]);

    const results = await Promise.all(crowd.slice(0, 20).map((user) => follow(user, question.id, true)));

    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    expect(results.every((result) => result.data!.followQuestion.viewerIsFollowing)).toBe(true);
    expect(await countersOf(question.id, crowd[0])).toMatchObject({ followerCount: 21, viewerIsFollowing: true });
    expect(await followRows(question.id)).toBe(21);
    expect(await server.drift()).toEqual([]);
  });

  it('should count a user who follows twice once', async () => {
    const [asker, user] = crowd;
    const question = await ask(server, asker);

    for (let i = 0; i < 2; i += 1) {
      const result = await follow(user, question.id, true);
      expect(result.errors).toBeUndefined();
      expect(result.data!.followQuestion).toMatchObject({ followerCount: 2, viewerIsFollowing: true });
    }
    expect(await followRows(question.id, user)).toBe(1);
    expect(await server.drift()).toEqual([]);
  });

  it('should drop the count by one on unfollow, and change nothing on unfollow when not following', async () => {
    const [asker, user, stranger] = crowd;
    const question = await ask(server, asker);
    expect((await follow(user, question.id, true)).data?.followQuestion.followerCount).toBe(2);

    const unfollowed = await follow(user, question.id, false);
    expect(unfollowed.errors).toBeUndefined();
    expect(unfollowed.data!.followQuestion).toMatchObject({ followerCount: 1, viewerIsFollowing: false });

    for (const who of [user, stranger]) {
      const again = await follow(who, question.id, false);
      expect(again.errors).toBeUndefined();
      expect(again.data!.followQuestion).toMatchObject({ followerCount: 1, viewerIsFollowing: false });
    }
    expect(await countersOf(question.id, asker)).toMatchObject({ followerCount: 1, viewerIsFollowing: true });
    expect(await followRows(question.id)).toBe(1);
    expect(await server.drift()).toEqual([]);
  });

  it('should end consistent after 10 concurrent follow and unfollow flips by one user', async () => {
    const [asker, user] = crowd;
    const question = await ask(server, asker);

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => follow(user, question.id, i % 2 === 0)));

    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    const follows = await followRows(question.id, user);
    expect(await countersOf(question.id, user)).toMatchObject({
      followerCount: 1 + follows,
      viewerIsFollowing: follows === 1,
    });
    expect(await server.drift()).toEqual([]);
  });

  it('should give UNAUTHENTICATED to an anonymous follow, and change nothing', async () => {
    const question = await ask(server, crowd[0]);

    for (const follows of [true, false]) {
      const result = await follow(null, question.id, follows);
      expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.data).toBeNull();
    }
    expect((await countersOf(question.id)).followerCount).toBe(1);
    expect(await followRows(question.id)).toBe(1);
  });
});

describe('tag questionCount', () => {
  it('should count each tag once per question when 10 questions with overlapping tags are asked at once', async () => {
    const tagLists = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? ['ctr-alpha', 'ctr-beta'] : ['ctr-beta', 'ctr-alpha', 'ctr-gamma'],
    );

    const results = await Promise.all(tagLists.map((tags, i) => askRaw(crowd[i], tags)));

    // A deadlock between the askers would reach the client as an error here.
    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    expect(results.map((result) => result.data!.askQuestion.tags.map((tag) => tag.name))).toEqual(tagLists);
    expect(await tagCount('ctr-alpha')).toEqual({ questionCount: 10, totalCount: 10 });
    expect(await tagCount('ctr-beta')).toEqual({ questionCount: 10, totalCount: 10 });
    expect(await tagCount('ctr-gamma')).toEqual({ questionCount: 5, totalCount: 5 });
    expect(await server.drift()).toEqual([]);
  });

  it("should move the counts when a question's tags are edited, and drop them when it is deleted", async () => {
    const [asker] = crowd;
    const edited = await ask(server, asker, { tags: ['ctr-edit-a', 'ctr-edit-b'] });
    await ask(server, asker, { tags: ['ctr-edit-b'] });
    expect(await tagCount('ctr-edit-a')).toEqual({ questionCount: 1, totalCount: 1 });
    expect(await tagCount('ctr-edit-b')).toEqual({ questionCount: 2, totalCount: 2 });

    const result = await server.gql(
      EditPostDocument,
      { input: { id: edited.id, tags: ['ctr-edit-b', 'ctr-edit-c'] } },
      asker.token,
    );

    expect(result.errors).toBeUndefined();
    expect(result.data!.editPost).toMatchObject({
      tags: [
        { name: 'ctr-edit-b', questionCount: 2 },
        { name: 'ctr-edit-c', questionCount: 1 },
      ],
    });
    expect(await tagCount('ctr-edit-a')).toEqual({ questionCount: 0, totalCount: 0 });
    expect(await tagCount('ctr-edit-b')).toEqual({ questionCount: 2, totalCount: 2 });
    expect(await tagCount('ctr-edit-c')).toEqual({ questionCount: 1, totalCount: 1 });
    expect(await server.drift()).toEqual([]);

    expect((await server.gql(DeletePostDocument, { id: edited.id }, asker.token)).errors).toBeUndefined();

    expect(await tagCount('ctr-edit-b')).toEqual({ questionCount: 1, totalCount: 1 });
    expect(await tagCount('ctr-edit-c')).toEqual({ questionCount: 0, totalCount: 0 });
    const inUse = await server.gql(TagsDocument, { prefix: 'ctr-edit' });
    expect(inUse.data?.tags.nodes.map(({ name, questionCount }) => ({ name, questionCount }))).toEqual([
      { name: 'ctr-edit-b', questionCount: 1 },
    ]);
    expect(await server.drift()).toEqual([]);
  });
});

describe('lastActivityAt', () => {
  it('should move forward with an answer, a reply and an edit', async () => {
    const [asker, answerer, replier] = crowd;
    const question = await ask(server, asker);
    const times = [question.lastActivityAt];
    const activity = async () => {
      const { lastActivityAt } = await countersOf(question.id);
      times.push(lastActivityAt);
      return lastActivityAt;
    };

    await nextMillisecond();
    const answered = await answer(server, answerer, question.id);
    expect(answered.question.lastActivityAt).toBe(await activity());
    await nextMillisecond();
    const replied = await reply(server, replier, answered.id);
    await activity();
    await nextMillisecond();
    const editedReply = await server.gql(
      EditPostDocument,
      { input: { id: replied.id, body: 'Edited' } },
      replier.token,
    );
    expect(editedReply.errors).toBeUndefined();
    await activity();
    await nextMillisecond();
    const editedQuestion = await server.gql(
      EditPostDocument,
      { input: { id: question.id, title: 'An edited counter question' } },
      asker.token,
    );
    expect(editedQuestion.errors).toBeUndefined();
    expect(editedQuestion.data!.editPost).toMatchObject({ lastActivityAt: await activity() });

    const instants = times.map((time) => Date.parse(time));
    expect(instants.every((instant, i) => i === 0 || instant > instants[i - 1])).toBe(true);
    expect(instants).toHaveLength(5);
    expect(await server.drift()).toEqual([]);
  });

  it('should put the most recently active question first in questions(orderBy: ACTIVE)', async () => {
    const [asker, answerer, replier] = crowd;
    const first = await ask(server, asker);
    await nextMillisecond();
    const second = await ask(server, asker);
    await nextMillisecond();
    const third = await ask(server, asker);
    const active = async () => {
      const result = await server.gql(QuestionsDocument, { first: 3, orderBy: 'ACTIVE' });
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.questions.edges.map((edge) => edge.node);
      const instants = nodes.map((node) => Date.parse(node.lastActivityAt));
      expect(instants.every((instant, i) => i === 0 || instant <= instants[i - 1])).toBe(true);
      return nodes.map((node) => node.id);
    };
    expect(await active()).toEqual([third.id, second.id, first.id]);

    await nextMillisecond();
    const firstAnswer = await answer(server, answerer, first.id);
    expect(await active()).toEqual([first.id, third.id, second.id]);
    await nextMillisecond();
    await answer(server, answerer, second.id);
    expect(await active()).toEqual([second.id, first.id, third.id]);
    await nextMillisecond();
    await reply(server, replier, firstAnswer.id);
    expect(await active()).toEqual([first.id, second.id, third.id]);
    await nextMillisecond();
    const edited = await server.gql(EditPostDocument, { input: { id: third.id, body: 'Edited body' } }, asker.token);
    expect(edited.errors).toBeUndefined();
    expect(await active()).toEqual([third.id, first.id, second.id]);
    expect(await server.drift()).toEqual([]);
  });
});
