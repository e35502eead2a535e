import { expect } from '@jest/globals';
import {
  AskQuestionDocument,
  PostAnswerDocument,
  PostReplyDocument,
  VoteDocument,
  type AskQuestionInput,
  type AskQuestionMutation,
  type PostAnswerMutation,
  type PostReplyMutation,
  type VoteMutation,
  type VoteValue,
} from '../../schema/trusted-documents/graphql.js';
import type { Response, TestServer } from './harness.js';

/*
 * What a user does through the API, as one call each. Every action fails the test when the server
 * refuses it: a test of a refusal sends its own request and asserts the error.
 */

/** A signed-up user, as `TestServer.signUp` returns them. */
export type User = Awaited<ReturnType<TestServer['signUp']>>;

/** Whoever writes: a user, or anything else that carries their token. */
export interface Author {
  token: string;
}

/** The question `ask` writes unless told otherwise. */
export const aQuestion: AskQuestionInput = {
  title: 'Comment attirer des entrepreneurs ?',
  body: 'Bonjour',
  tags: ['reseau'],
};

/** The data of a response that must have succeeded. */
function succeeded<T>(response: Response<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** Signs `count` users up at once (sign-ups are slow: argon2). */
export function signUpMany(server: TestServer, count: number): Promise<User[]> {
  return Promise.all(Array.from({ length: count }, () => server.signUp()));
}

/** Asks `aQuestion`, with `input` on top, as `author`. */
export async function ask(
  server: TestServer,
  author: Author,
  input: Partial<AskQuestionInput> = {},
): Promise<AskQuestionMutation['askQuestion']> {
  return succeeded(await server.gql(AskQuestionDocument, { input: { ...aQuestion, ...input } }, author.token))
    .askQuestion;
}

/** Answers the question `questionId` as `author`. */
export async function answer(
  server: TestServer,
  author: Author,
  questionId: string,
  body = 'Une réponse',
): Promise<PostAnswerMutation['postAnswer']> {
  return succeeded(await server.gql(PostAnswerDocument, { input: { questionId, body } }, author.token)).postAnswer;
}

/** Replies to the answer `answerId` as `author`. */
export async function reply(
  server: TestServer,
  author: Author,
  answerId: string,
  body = 'Une précision',
): Promise<PostReplyMutation['postReply']> {
  return succeeded(await server.gql(PostReplyDocument, { input: { answerId, body } }, author.token)).postReply;
}

/** Votes `value` on the post `targetId` as `author`; returns the post as it stands after the vote. */
export async function vote(
  server: TestServer,
  author: Author,
  targetId: string,
  value: VoteValue,
): Promise<VoteMutation['vote']> {
  return succeeded(await server.gql(VoteDocument, { input: { targetId, value } }, author.token)).vote;
}

/** The ids of a thread that `writeThread` wrote. */
export interface ThreadIds {
  question: string;
  answer: string;
  reply: string;
}

/** What `writeThread` writes and who writes it: the asker replies unless `replier` is given. */
export interface ThreadScript {
  asker: Author;
  answerer: Author;
  replier?: Author;
  question: Partial<AskQuestionInput>;
  answer: string;
  reply: string;
}

/** A question, an answer to it and a reply to that answer. */
export async function writeThread(server: TestServer, script: ThreadScript): Promise<ThreadIds> {
  const asked = await ask(server, script.asker, script.question);
  const answered = await answer(server, script.answerer, asked.id, script.answer);
  const replied = await reply(server, script.replier ?? script.asker, answered.id, script.reply);
  return { question: asked.id, answer: answered.id, reply: replied.id };
}
