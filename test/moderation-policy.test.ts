import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toGlobalId } from '../src/ids.js';
import {
  AcceptAnswerDocument,
  AskQuestionDocument,
  CloseQuestionDocument,
  DeletePostDocument,
  EditPostDocument,
  FlagPostDocument,
  FollowQuestionDocument,
  LockQuestionDocument,
  ModerationPermissionsDocument,
  PostAnswerDocument,
  PostReplyDocument,
  ReopenQuestionDocument,
  SetUserRoleDocument,
  SuspendUserDocument,
  UnacceptAnswerDocument,
  UndeletePostDocument,
  UnsuspendUserDocument,
  VoteDocument,
  type ModerationPermissionsQuery,
} from '../schema/trusted-documents/graphql.js';
import { startTestServer, type Response, type TestServer } from './support/harness.js';

type User = Awaited<ReturnType<TestServer['signUp']>>;
type Target = 'question' | 'answer' | 'reply';
type State = 'open' | 'closed' | 'locked';
interface Thread {
  question: string;
  answer: string;
  reply: string;
}

let server: TestServer;
let asker: User;
let answerer: User;
let replier: User;
let member: User;
let moderator: User;
let admin: User;
let suspended: User;

beforeAll(async () => {
  server = await startTestServer();
  [asker, answerer, replier, member, moderator, admin, suspended] = await Promise.all(
    ['Asker', 'Answerer', 'Replier', 'Member', 'Moderator', 'Admin', 'Suspended'].map((name) =>
      server.signUp(`${name}_mp`),
    ),
  );
  // Roles are given before any request with these tokens, so no session of theirs is kept yet.
  await server.db.query(`UPDATE "user" SET role = 'MODERATOR' WHERE id = $1`, [moderator.userId]);
  await server.db.query(`UPDATE "user" SET role = 'ADMIN' WHERE id = $1`, [admin.userId]);
  const until = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  const done = await server.gql(
    SuspendUserDocument,
    { input: { userId: toGlobalId('User', suspended.userId), until, reason: 'Spam' } },
    moderator.token,
  );
  expect(done.errors).toBeUndefined();
});
afterAll(() => server.close());

/** A fresh thread in `state`, so that each mutation is tried on posts nothing else touched. */
async function thread(state: State): Promise<Thread> {
  const asked = await server.gql(
    AskQuestionDocument,
    { input: { title: 'Qui peut modérer ici ?', body: 'La question.', tags: ['droits'] } },
    asker.token,
  );
  const question = asked.data!.askQuestion.id;
  const answered = await server.gql(
    PostAnswerDocument,
    { input: { questionId: question, body: 'Oui.' } },
    answerer.token,
  );
  const answer = answered.data!.postAnswer.id;
  const replied = await server.gql(PostReplyDocument, { input: { answerId: answer, body: 'Ah.' } }, replier.token);
  if (state === 'closed') {
    await server.gql(CloseQuestionDocument, { input: { questionId: question, reason: 'UNCLEAR' } }, admin.token);
  }
  if (state === 'locked') await server.gql(LockQuestionDocument, { questionId: question, locked: true }, admin.token);
  return { question, answer, reply: replied.data!.postReply.id };
}

type Question = NonNullable<ModerationPermissionsQuery['question']>;
type Permissions = Record<string, boolean>;

async function permissions(ids: Thread, token?: string): Promise<Record<Target, Permissions>> {
  const response = await server.gql(ModerationPermissionsDocument, { id: ids.question }, token);
  expect(response.errors).toBeUndefined();
  const { answers, id: _q, ...question }: Question = response.data!.question!;
  const { replies, id: _a, ...answer } = answers.nodes[0];
  const { id: _r, ...reply } = replies.nodes[0];
  return { question, answer, reply } as Record<Target, Permissions>;
}

interface Mutation {
  name: string;
  target: Target;
  field: string;
  states: readonly State[];
  run: (ids: Thread, token?: string) => Promise<Response<unknown>>;
}

const all: readonly State[] = ['open', 'closed', 'locked'];
const mutations: Mutation[] = (['question', 'answer', 'reply'] as const).flatMap((target) => [
  {
    name: `vote on the ${target}`,
    target,
    field: 'viewerCanVote',
    states: all,
    run: (ids: Thread, token?: string) =>
      server.gql(VoteDocument, { input: { targetId: ids[target], value: 'UP' } }, token),
  },
  {
    name: `editPost on the ${target}`,
    target,
    field: 'viewerCanEdit',
    states: all,
    run: (ids: Thread, token?: string) =>
      server.gql(EditPostDocument, { input: { id: ids[target], body: 'Revu.' } }, token),
  },
  {
    name: `deletePost on the ${target}`,
    target,
    field: 'viewerCanDelete',
    states: all,
    run: (ids: Thread, token?: string) => server.gql(DeletePostDocument, { id: ids[target] }, token),
  },
  {
    name: `flagPost on the ${target}`,
    target,
    field: 'viewerCanFlag',
    states: all,
    run: (ids: Thread, token?: string) =>
      server.gql(FlagPostDocument, { input: { postId: ids[target], reason: 'OFF_TOPIC' } }, token),
  },
]);
mutations.push(
  {
    name: 'acceptAnswer',
    target: 'question',
    field: 'viewerCanAccept',
    states: ['open'],
    run: (ids, token) => server.gql(AcceptAnswerDocument, { answerId: ids.answer }, token),
  },
  {
    name: 'unacceptAnswer',
    target: 'question',
    field: 'viewerCanAccept',
    states: ['open'],
    run: (ids, token) => server.gql(UnacceptAnswerDocument, { questionId: ids.question }, token),
  },
  {
    name: 'postAnswer',
    target: 'question',
    field: 'viewerCanAnswer',
    states: all,
    run: (ids, token) =>
      server.gql(PostAnswerDocument, { input: { questionId: ids.question, body: 'Encore.' } }, token),
  },
  {
    name: 'followQuestion',
    target: 'question',
    field: 'viewerCanFollow',
    states: ['open'],
    run: (ids, token) => server.gql(FollowQuestionDocument, { questionId: ids.question, follow: true }, token),
  },
  {
    name: 'postReply',
    target: 'answer',
    field: 'viewerCanReply',
    states: all,
    run: (ids, token) => server.gql(PostReplyDocument, { input: { answerId: ids.answer, body: 'Aussi.' } }, token),
  },
  {
    name: 'closeQuestion',
    target: 'question',
    field: 'viewerCanClose',
    states: ['open'],
    run: (ids, token) =>
      server.gql(CloseQuestionDocument, { input: { questionId: ids.question, reason: 'OFF_TOPIC' } }, token),
  },
  {
    name: 'reopenQuestion',
    target: 'question',
    field: 'viewerCanClose',
    states: ['closed'],
    run: (ids, token) => server.gql(ReopenQuestionDocument, { questionId: ids.question }, token),
  },
  {
    name: 'lockQuestion',
    target: 'question',
    field: 'viewerCanLock',
    states: ['open', 'locked'],
    run: (ids, token) => server.gql(LockQuestionDocument, { questionId: ids.question, locked: true }, token),
  },
);

type Viewer = { name: string; token: (target: Target) => string | undefined };
const authorOf: Record<Target, () => User> = { question: () => asker, answer: () => answerer, reply: () => replier };
const viewers: Viewer[] = [
  { name: 'an anonymous viewer', token: () => undefined },
  { name: 'a member', token: () => member.token },
  { name: "the post's author", token: (target) => authorOf[target]().token },
  { name: 'a moderator', token: () => moderator.token },
  { name: 'an admin', token: () => admin.token },
  { name: 'a suspended member', token: () => suspended.token },
];

function outcome(response: Response<unknown>): { succeeded: boolean; error: unknown } {
  return { succeeded: response.errors === undefined, error: response.errors?.[0]?.extensions?.code };
}

describe('every mutation by every kind of viewer, in open, closed and locked threads', () => {
  const cases = mutations.flatMap((mutation) =>
    mutation.states.flatMap((state) =>
      viewers.map((viewer) => [mutation.name, state, viewer.name, mutation, viewer] as const),
    ),
  );
  it.each(cases)('%s (%s thread) by %s: the field predicts the outcome', async (_n, state, _v, mutation, viewer) => {
    const ids = await thread(state);
    const token = viewer.token(mutation.target);
    const predicted = (await permissions(ids, token))[mutation.target][mutation.field];
    expect(outcome(await mutation.run(ids, token))).toEqual(
      predicted
        ? { succeeded: true, error: undefined }
        : { succeeded: false, error: token === undefined ? 'UNAUTHENTICATED' : 'FORBIDDEN' },
    );
  });

  it('should give the verdicts the rules say for a member, a moderator and a suspended member', async () => {
    const locked = await permissions(await thread('locked'), member.token);
    expect(locked.answer).toMatchObject({ viewerCanVote: false, viewerCanReply: false, viewerCanFlag: false });
    const moderating = await permissions(await thread('locked'), moderator.token);
    expect(moderating.answer).toMatchObject({ viewerCanVote: true, viewerCanReply: true, viewerCanEdit: true });
    expect(moderating.question).toMatchObject({ viewerCanClose: true, viewerCanLock: true, viewerCanAnswer: true });
    const closed = await permissions(await thread('closed'), moderator.token);
    expect(closed.question.viewerCanAnswer).toBe(false);
    const out = await permissions(await thread('open'), suspended.token);
    expect(Object.values(out).flatMap((fields) => Object.values(fields))).not.toContain(true);
  });
});

describe('mutations on users and deleted posts', () => {
  const expected: Record<string, { undelete: boolean; suspend: boolean; setRole: boolean }> = {
    'a member': { undelete: false, suspend: false, setRole: false },
    'a moderator': { undelete: true, suspend: true, setRole: false },
    'an admin': { undelete: true, suspend: true, setRole: true },
    'a suspended member': { undelete: false, suspend: false, setRole: false },
  };
  const expectOutcome = (response: Response<unknown>, allowed: boolean, token?: string) =>
    expect(outcome(response)).toEqual(
      allowed
        ? { succeeded: true, error: undefined }
        : { succeeded: false, error: token === undefined ? 'UNAUTHENTICATED' : 'FORBIDDEN' },
    );

  it.each(
    viewers.filter((viewer) => viewer.name !== "the post's author").map((viewer) => [viewer.name, viewer] as const),
  )('undeletePost, suspendUser, unsuspendUser and setUserRole by %s', async (name, viewer) => {
    const allowed = expected[name] ?? { undelete: false, suspend: false, setRole: false };
    const token = viewer.token('question');
    const ids = await thread('open');
    await server.gql(DeletePostDocument, { id: ids.answer }, answerer.token);
    expectOutcome(await server.gql(UndeletePostDocument, { id: ids.answer }, token), allowed.undelete, token);
    const target = toGlobalId('User', (await server.signUp()).userId);
    const until = new Date(Date.now() + 3600 * 1000).toISOString();
    const suspend = await server.gql(SuspendUserDocument, { input: { userId: target, until, reason: 'Test' } }, token);
    expectOutcome(suspend, allowed.suspend, token);
    expectOutcome(await server.gql(UnsuspendUserDocument, { userId: target }, token), allowed.suspend, token);
    const role = await server.gql(SetUserRoleDocument, { userId: target, role: 'MODERATOR' }, token);
    expectOutcome(role, allowed.setRole, token);
  });

  it('should let nobody suspend or demote themselves, and only admins act on moderators', async () => {
    const until = new Date(Date.now() + 3600 * 1000).toISOString();
    const suspend = (userId: number, token: string) =>
      server.gql(SuspendUserDocument, { input: { userId: toGlobalId('User', userId), until, reason: 'Test' } }, token);
    expect(outcome(await suspend(moderator.userId, moderator.token)).error).toBe('FORBIDDEN');
    expect(outcome(await suspend(admin.userId, admin.token)).error).toBe('FORBIDDEN');
    expect(outcome(await suspend(admin.userId, moderator.token)).error).toBe('FORBIDDEN');
    const demote = await server.gql(
      SetUserRoleDocument,
      { userId: toGlobalId('User', admin.userId), role: 'MEMBER' },
      admin.token,
    );
    expect(outcome(demote).error).toBe('FORBIDDEN');
    const otherModerator = await server.signUp();
    await server.gql(
      SetUserRoleDocument,
      { userId: toGlobalId('User', otherModerator.userId), role: 'MODERATOR' },
      admin.token,
    );
    expect(outcome(await suspend(otherModerator.userId, moderator.token)).error).toBe('FORBIDDEN');
    expect(outcome(await suspend(otherModerator.userId, admin.token)).succeeded).toBe(true);
  });
});
