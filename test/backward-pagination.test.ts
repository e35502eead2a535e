import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AskQuestionDocument,
  EarlierRepliesDocument,
  PostAnswerDocument,
  PostReplyDocument,
  QuestionsBackwardDocument,
  ThreadViewFromEndDocument,
  ThreadViewDocument,
  type QuestionsBackwardQueryVariables,
} from '../schema/trusted-documents/graphql.js';
import { startTestServer, type Response, type TestServer } from './support/harness.js';

let server: TestServer;
let token: string;
let tag: string;
/** The tag's questions, newest first: the list's order. */
let questions: string[];
let question: string;
let answerId: string;
/** The answer's replies, oldest first: the list's order. */
let replies: string[];

beforeAll(async () => {
  server = await startTestServer();
  ({ token } = await server.signUp());
  tag = `backward-${process.pid}`;
  questions = [];
  for (let i = 0; i < 7; i++) {
    const asked = await server.gql(
      AskQuestionDocument,
      { input: { title: `Backward question ${i}`, body: 'Une question.', tags: [tag] } },
      token,
    );
    questions.unshift(asked.data!.askQuestion.id);
  }
  question = questions[0];
  const answered = await server.gql(PostAnswerDocument, { input: { questionId: question, body: 'Réponse.' } }, token);
  answerId = answered.data!.postAnswer.id;
  replies = [];
  for (let i = 0; i < 5; i++) {
    const replied = await server.gql(PostReplyDocument, { input: { answerId, body: `Reply ${i}` } }, token);
    replies.push(replied.data!.postReply.id);
  }
});
afterAll(() => server.close());

const page = (variables: QuestionsBackwardQueryVariables) =>
  server.gql(QuestionsBackwardDocument, { tag, ...variables });

/** The code, field and rule of the only error of a response; anything else comes back whole. */
function problem(response: Response<unknown>): Record<string, unknown> {
  if (response.errors?.length !== 1) return { errors: response.errors, data: response.data };
  const { code, field, rule } = response.errors[0].extensions ?? {};
  return { code, field, rule };
}

describe('backward pagination (last, before)', () => {
  it('should give the last items in the order of the forward pages, with hasPreviousPage', async () => {
    const { data } = await page({ last: 3 });
    expect(data!.questions.nodes.map((node) => node.id)).toEqual(questions.slice(4));
    expect(data!.questions.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('should walk back from the end to the start through startCursor, meeting every item once', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const response: Awaited<ReturnType<typeof page>> = await page({ last: 2, before });
      const { nodes, pageInfo } = response.data!.questions;
      seen.unshift(...nodes.map((node) => node.id));
      expect(pageInfo.hasNextPage).toBe(before !== null);
      if (!pageInfo.hasPreviousPage) break;
      before = pageInfo.startCursor;
    }
    expect(seen).toEqual(questions);
  });

  it('should take a forward cursor as before, and a backward cursor as after', async () => {
    const forward = await page({ first: 4 });
    const earlier = await page({ last: 2, before: forward.data!.questions.pageInfo.endCursor });
    expect(earlier.data!.questions.nodes.map((node) => node.id)).toEqual(questions.slice(1, 3));
    const later = await page({ first: 10, after: earlier.data!.questions.pageInfo.endCursor });
    expect(later.data!.questions.nodes.map((node) => node.id)).toEqual(questions.slice(3));
  });

  it("should page an answer's replies backward", async () => {
    const last = await server.gql(EarlierRepliesDocument, { answerId, last: 2 });
    const replyPage = (last.data!.node as { replies: { nodes: { id: string }[]; pageInfo: { startCursor: string } } })
      .replies;
    expect(replyPage.nodes.map((node) => node.id)).toEqual(replies.slice(3));
    const before = await server.gql(EarlierRepliesDocument, {
      answerId,
      last: 2,
      before: replyPage.pageInfo.startCursor,
    });
    expect(
      (before.data!.node as { replies: { nodes: { id: string }[] } }).replies.nodes.map((node) => node.id),
    ).toEqual(replies.slice(1, 3));
  });

  it('should read the thread page from its end in one statement, as the forward page would hold those answers', async () => {
    server.sql.length = 0;
    const fromEnd = await server.gql(ThreadViewFromEndDocument, { id: question });
    expect(fromEnd.errors).toBeUndefined();
    expect(server.sql).toHaveLength(1);
    const forward = await server.gql(ThreadViewDocument, { id: question });
    expect(fromEnd.data!.question!.answers.nodes.map((node) => node.id)).toEqual(
      forward.data!.question!.answers.nodes.map((node) => node.id),
    );
    expect(fromEnd.data!.question!.answers.nodes[0].replies.nodes.map((node) => node.id)).toEqual(replies);
  });
});

describe('pagination arguments refused', () => {
  it.each([
    ['first together with last', { first: 2, last: 2 }, { field: 'first', rule: 'exclusive' }],
    ['first at its default together with last', { first: 10, last: 2 }, { field: 'first', rule: 'exclusive' }],
    ['after together with before', { after: 'x', before: 'y' }, { field: 'after', rule: 'exclusive' }],
    ['a last over 100', { last: 101 }, { field: 'last', rule: 'range' }],
    ['a last of 0', { last: 0 }, { field: 'last', rule: 'range' }],
    ['a malformed before', { last: 2, before: 'garbage' }, { field: 'before', rule: 'cursor' }],
    ['a malformed after', { after: 'garbage' }, { field: 'after', rule: 'cursor' }],
  ])('should refuse %s with BAD_USER_INPUT and its rule', async (_, variables, expected) => {
    expect(problem(await page(variables))).toEqual({ code: 'BAD_USER_INPUT', ...expected });
  });

  it('should refuse a cursor of another list as before', async () => {
    const replyCursor = await server.gql(EarlierRepliesDocument, { answerId, last: 1 });
    const before = (replyCursor.data!.node as { replies: { pageInfo: { startCursor: string } } }).replies.pageInfo
      .startCursor;
    expect(problem(await page({ last: 2, before }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'before',
      rule: 'cursor',
    });
  });

  it('should refuse a malformed cursor on a list that turns out empty (an unknown tag)', async () => {
    const response = await server.gql(QuestionsBackwardDocument, { tag: 'no-such-tag-anywhere', after: 'garbage' });
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'after', rule: 'cursor' });
    const empty = await server.gql(QuestionsBackwardDocument, { tag: 'no-such-tag-anywhere' });
    expect(empty.data!.questions.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
  });
});
