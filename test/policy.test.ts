import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  AcceptAnswerDocument,
  DeletePostDocument,
  EditPostDocument,
  FollowQuestionDocument,
  PostAnswerDocument,
  PostReplyDocument,
  ThreadPermissionsDocument,
  UnacceptAnswerDocument,
  VoteDocument,
  type ThreadPermissionsQuery,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, type User } from './support/actions.js';
import type { Response, TestServer } from './support/harness.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
let asker: User;
let answerer: User;
let replier: User;
let stranger: User;

beforeAll(async () => {
  server = await startTestServer();
  [asker, answerer, replier, stranger] = await Promise.all(
    ['Asker_pol', 'Answerer_pol', 'Replier_pol', 'Stranger_pol'].map((name) => server.signUp(name)),
  );
});

interface Thread {
  question: string;
  answer: string | null;
  reply: string | null;
}

/** A fresh thread, so that each mutation is tried on posts nothing else touched. */
async function thread(withAnswer = true): Promise<Thread> {
  const question = (
    await ask(server, asker, { title: 'Qui peut faire quoi ici ?', body: 'La question.', tags: ['droits'] })
  ).id;
  if (!withAnswer) return { question, answer: null, reply: null };
  const answerId = (await answer(server, answerer, question, 'La réponse.')).id;
  const replyId = (await reply(server, replier, answerId, 'Une réplique.')).id;
  return { question, answer: answerId, reply: replyId };
}

type Question = NonNullable<ThreadPermissionsQuery['question']>;
type Target = 'question' | 'answer' | 'reply';
type Permissions = Record<string, boolean>;

/** What the viewer may do with each post of the thread, as the viewerCan… fields say. */
async function permissions(ids: Thread, token?: string): Promise<Record<Target, Permissions>> {
  const response = await server.gql(ThreadPermissionsDocument, { id: ids.question }, token);
  expect(response.errors).toBeUndefined();
  const { answers, id: _q, ...question }: Question = response.data!.question!;
  const [answer] = answers.nodes;
  const { replies, id: _a, ...answerFields } = answer ?? { replies: { nodes: [] }, id: '' };
  const { id: _r, ...replyFields } = replies.nodes[0] ?? { id: '' };
  return { question, answer: answerFields, reply: replyFields } as Record<Target, Permissions>;
}

/** Each mutation, the post it acts on and the field that must predict whether it succeeds. */
const mutations: Array<{
  name: string;
  target: Target;
  field: string;
  run: (ids: Thread, token?: string) => Promise<Response<unknown>>;
}> = (['question', 'answer', 'reply'] as const).flatMap((target) => [
  {
    name: `vote on the ${target}`,
    target,
    field: 'viewerCanVote',
    run: (ids: Thread, token?: string) =>
      server.gql(VoteDocument, { input: { targetId: ids[target]!, value: 'UP' } }, token),
  },
  {
    name: `editPost on the ${target}`,
    target,
    field: 'viewerCanEdit',
    run: (ids: Thread, token?: string) =>
      server.gql(EditPostDocument, { input: { id: ids[target]!, body: 'Revu.' } }, token),
  },
  {
    name: `deletePost on the ${target}`,
    target,
    field: 'viewerCanDelete',
    run: (ids: Thread, token?: string) => server.gql(DeletePostDocument, { id: ids[target]! }, token),
  },
]);
mutations.push(
  {
    name: 'acceptAnswer',
    target: 'question',
    field: 'viewerCanAccept',
    run: (ids, token) => server.gql(AcceptAnswerDocument, { answerId: ids.answer! }, token),
  },
  {
    name: 'unacceptAnswer',
    target: 'question',
    field: 'viewerCanAccept',
    run: (ids, token) => server.gql(UnacceptAnswerDocument, { questionId: ids.question }, token),
  },
  {
    name: 'postAnswer',
    target: 'question',
    field: 'viewerCanAnswer',
    run: (ids, token) =>
      server.gql(PostAnswerDocument, { input: { questionId: ids.question, body: 'Encore.' } }, token),
  },
  {
    name: 'followQuestion',
    target: 'question',
    field: 'viewerCanFollow',
    run: (ids, token) => server.gql(FollowQuestionDocument, { questionId: ids.question, follow: true }, token),
  },
  {
    name: 'postReply',
    target: 'answer',
    field: 'viewerCanReply',
    run: (ids, token) => server.gql(PostReplyDocument, { input: { answerId: ids.answer!, body: 'Aussi.' } }, token),
  },
);

const authorOf: Record<Target, () => User> = { question: () => asker, answer: () => answerer, reply: () => replier };
const viewers: Array<{ name: string; token: (target: Target) => string | undefined }> = [
  { name: 'an anonymous viewer', token: () => undefined },
  { name: "the post's author", token: (target) => authorOf[target]().token },
  { name: 'another user', token: () => stranger.token },
];

describe('what the viewer may do', () => {
  const cases = viewers.flatMap((viewer) => mutations.map((mutation) => ({ viewer, mutation })));
  it.each(cases.map(({ viewer, mutation }) => [mutation.name, viewer.name, viewer, mutation] as const))(
    '%s by %s: the field predicts the outcome',
    async (_name, _viewer, viewer, mutation) => {
      const ids = await thread();
      const token = viewer.token(mutation.target);
      const predicted = (await permissions(ids, token))[mutation.target][mutation.field];
      const response = await mutation.run(ids, token);
      expect({ succeeded: response.errors === undefined, error: response.errors?.[0]?.extensions?.code }).toEqual(
        predicted
          ? { succeeded: true, error: undefined }
          : { succeeded: false, error: token === undefined ? 'UNAUTHENTICATED' : 'FORBIDDEN' },
      );
    },
  );

  it('should give every expected verdict (the table the fields must follow)', async () => {
    const ids = await thread();
    const table = async (token?: string) => permissions(ids, token);
    const none = { viewerCanEdit: false, viewerCanDelete: false, viewerCanVote: false };
    expect(await table()).toEqual({
      question: { ...none, viewerCanAccept: false, viewerCanAnswer: false, viewerCanFollow: false },
      answer: { ...none, viewerCanReply: false },
      reply: none,
    });
    const own = { viewerCanEdit: true, viewerCanDelete: true, viewerCanVote: false };
    const others = { viewerCanEdit: false, viewerCanDelete: false, viewerCanVote: true };
    expect(await table(asker.token)).toEqual({
      question: { ...own, viewerCanAccept: true, viewerCanAnswer: true, viewerCanFollow: true },
      answer: { ...others, viewerCanReply: true },
      reply: others,
    });
    expect(await table(stranger.token)).toEqual({
      question: { ...others, viewerCanAccept: false, viewerCanAnswer: true, viewerCanFollow: true },
      answer: { ...others, viewerCanReply: true },
      reply: others,
    });
  });

  it('should not let the author accept on a question with no answer, and unacceptAnswer agrees', async () => {
    const ids = await thread(false);
    expect((await permissions(ids, asker.token)).question.viewerCanAccept).toBe(false);
    const response = await server.gql(UnacceptAnswerDocument, { questionId: ids.question }, asker.token);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('should cost no statement per post: the same SQL for 1 answer as for 8', async () => {
    const statementsFor = async (answers: number) => {
      const ids = await thread();
      for (let i = 1; i < answers; i += 1) {
        await answer(server, answerer, ids.question, `n° ${i}`);
      }
      // A viewer of its own: its session is read in both counts alike, whatever the session cache holds.
      const viewer = await server.signUp();
      server.sql.length = 0;
      await permissions(ids, viewer.token);
      return server.sql.length;
    };
    expect(await statementsFor(8)).toBe(await statementsFor(1));
  });
});
