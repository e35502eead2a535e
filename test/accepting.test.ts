import { describe, expect, it } from '@jest/globals';
import { AcceptAnswerDocument, UnacceptAnswerDocument } from '../schema/trusted-documents/graphql.js';
import { answer, ask } from './support/actions.js';
import { alice, answerSnapshot, bob, carol, questionSnapshot, server, usePostsServer } from './support/posts.js';
import { problem } from './support/responses.js';

usePostsServer();

describe('acceptAnswer', () => {
  async function thread() {
    const question = await ask(server, alice);
    const first = await answer(server, bob, question.id, 'Première réponse');
    const second = await answer(server, carol, question.id, 'Seconde réponse');
    return { question, first, second };
  }

  function accepted(question: Awaited<ReturnType<typeof questionSnapshot>>): string[] {
    return question.answers.nodes.filter((node) => node.isAccepted).map((node) => node.id);
  }

  it("should let the question's author accept an answer", async () => {
    const { question, first } = await thread();
    const response = await server.gql(AcceptAnswerDocument, { answerId: first.id }, alice.token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.acceptAnswer).toEqual({
      id: question.id,
      acceptedAnswer: { id: first.id, isAccepted: true },
    });
    expect(accepted(await questionSnapshot(question.id))).toEqual([first.id]);
    expect(await server.drift()).toEqual([]);
  });

  it("should give FORBIDDEN to another user, even the answer's author, and UNAUTHENTICATED anonymously", async () => {
    const { question, first } = await thread();
    expect(problem(await server.gql(AcceptAnswerDocument, { answerId: first.id }, bob.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(problem(await server.gql(AcceptAnswerDocument, { answerId: first.id }, carol.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(problem(await server.gql(AcceptAnswerDocument, { answerId: first.id }))).toEqual({
      code: 'UNAUTHENTICATED',
    });
    const read = await questionSnapshot(question.id);
    expect(read.acceptedAnswer).toBeNull();
    expect(accepted(read)).toEqual([]);
  });

  it('should move the mark when another answer is accepted, so exactly one answer is accepted', async () => {
    const { question, first, second } = await thread();
    expect((await server.gql(AcceptAnswerDocument, { answerId: first.id }, alice.token)).errors).toBeUndefined();
    const moved = await server.gql(AcceptAnswerDocument, { answerId: second.id }, alice.token);
    expect(moved.data?.acceptAnswer.acceptedAnswer).toEqual({ id: second.id, isAccepted: true });
    const read = await questionSnapshot(question.id);
    expect(read.acceptedAnswer).toEqual({ id: second.id });
    expect(accepted(read)).toEqual([second.id]);
    expect((await answerSnapshot(first.id)).isAccepted).toBe(false);
    const again = await server.gql(AcceptAnswerDocument, { answerId: second.id }, alice.token);
    expect(again.data?.acceptAnswer.acceptedAnswer).toEqual({ id: second.id, isAccepted: true });
  });

  it('should clear the mark with unacceptAnswer, idempotently, and only for the question author', async () => {
    const { question, first } = await thread();
    expect((await server.gql(AcceptAnswerDocument, { answerId: first.id }, alice.token)).errors).toBeUndefined();
    expect(problem(await server.gql(UnacceptAnswerDocument, { questionId: question.id }, bob.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect((await questionSnapshot(question.id)).acceptedAnswer).toEqual({ id: first.id });
    for (let i = 0; i < 2; i++) {
      const response = await server.gql(UnacceptAnswerDocument, { questionId: question.id }, alice.token);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ unacceptAnswer: { id: question.id, acceptedAnswer: null } });
    }
    const read = await questionSnapshot(question.id);
    expect(read.acceptedAnswer).toBeNull();
    expect(accepted(read)).toEqual([]);
  });

  it('should give BAD_USER_INPUT naming answerId when accepting a question id', async () => {
    const { question } = await thread();
    const response = await server.gql(AcceptAnswerDocument, { answerId: question.id }, alice.token);
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'answerId', rule: 'idType' });
    expect(await server.drift()).toEqual([]);
  });
});
