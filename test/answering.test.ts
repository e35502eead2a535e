import { describe, expect, it } from '@jest/globals';
import {
  AcceptAnswerDocument,
  AskQuestionDocument,
  DeletePostDocument,
  EditPostDocument,
  PostAnswerDocument,
  PostReplyDocument,
  UnacceptAnswerDocument,
  VoteDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, aQuestion, ask } from './support/actions.js';
import type { Response } from './support/harness.js';
import { globalId } from './support/ids.js';
import { alice, answerSnapshot, bob, questionIds, questionSnapshot, server, usePostsServer } from './support/posts.js';
import { problem } from './support/responses.js';

usePostsServer();

describe('answering and replying', () => {
  it('should answer a question by its id', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id, 'Essayez le financement participatif.');
    expect(posted).toMatchObject({
      __typename: 'Answer',
      body: 'Essayez le financement participatif.',
      isAccepted: false,
      replyCount: 0,
      author: { username: 'Bob_posts' },
      question: { id: question.id, answerCount: 1 },
    });
  });

  it("should give BAD_USER_INPUT naming questionId when answering an answer's id", async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    const response = await server.gql(
      PostAnswerDocument,
      { input: { questionId: posted.id, body: 'Non.' } },
      bob.token,
    );
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'questionId', rule: 'idType' });
    expect((await questionSnapshot(question.id)).answerCount).toBe(1);
  });

  it('should give NOT_FOUND when answering a question that does not exist', async () => {
    const response = await server.gql(
      PostAnswerDocument,
      { input: { questionId: globalId('Question', 999_999), body: 'Personne ne lira ceci.' } },
      bob.token,
    );
    expect(problem(response)).toEqual({ code: 'NOT_FOUND' });
  });

  it("should give BAD_USER_INPUT naming answerId when replying to a question's id", async () => {
    const question = await ask(server, alice);
    const response = await server.gql(PostReplyDocument, { input: { answerId: question.id, body: 'Non.' } }, bob.token);
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'answerId', rule: 'idType' });
  });

  it('should give UNAUTHENTICATED for every write without a token, and write nothing', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    const before = await questionIds();
    const attempts: Array<Promise<Response<unknown>>> = [
      server.gql(AskQuestionDocument, { input: aQuestion }),
      server.gql(PostAnswerDocument, { input: { questionId: question.id, body: 'Anonyme' } }),
      server.gql(PostReplyDocument, { input: { answerId: posted.id, body: 'Anonyme' } }),
      server.gql(EditPostDocument, { input: { id: question.id, body: 'Anonyme' } }),
      server.gql(DeletePostDocument, { id: question.id }),
      server.gql(AcceptAnswerDocument, { answerId: posted.id }),
      server.gql(UnacceptAnswerDocument, { questionId: question.id }),
      server.gql(VoteDocument, { input: { targetId: posted.id, value: 'UP' } }),
    ];
    for (const response of await Promise.all(attempts)) expect(problem(response)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(await questionIds()).toEqual(before);
    expect(await questionSnapshot(question.id)).toMatchObject({ body: aQuestion.body, answerCount: 1 });
    expect(await answerSnapshot(posted.id)).toMatchObject({ replyCount: 0, score: 0, isAccepted: false });
  });
});
