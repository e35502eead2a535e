import { describe, expect, it } from '@jest/globals';
import {
  AnswersDocument,
  QuestionsDocument,
  RepliesDocument,
  TagsDocument,
  UserPostsPageDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply } from './support/actions.js';
import type { Response } from './support/harness.js';
import { answerer, answerPage, answers, asker, server, usePagesServer } from './support/pages.js';
import { problem } from './support/responses.js';

usePagesServer();

describe('first', () => {
  it('should give BAD_USER_INPUT naming first for 0, -1 and 101 on every connection', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question pour les bornes de first' })).id;
    const answerId = (await answer(server, answerer, questionId)).id;
    const requests = (first: number): Array<Promise<Response<unknown>>> => [
      server.gql(QuestionsDocument, { first }),
      server.gql(AnswersDocument, { id: questionId, first }),
      server.gql(RepliesDocument, { answerId, first }),
      server.gql(TagsDocument, { first }),
      server.gql(UserPostsPageDocument, { username: 'Asker_pages', first }),
    ];
    const firstProblem = { code: 'BAD_USER_INPUT', field: 'first', rule: 'range' };
    for (const first of [0, -1, 101]) {
      const responses = await Promise.all(requests(first));
      // The distinct problems of each response (user.questions and user.answers may both report one).
      const problems = responses.map((response) => [
        ...new Set(response.errors?.map((error) => JSON.stringify(problem({ ...response, errors: [error] })))),
      ]);
      expect({ first, problems }).toEqual({ first, problems: responses.map(() => [JSON.stringify(firstProblem)]) });
    }
  });

  it('should accept first 1 and 100', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question pour first 1 et 100' })).id;
    const [oldest, newest] = await answers(questionId, 2);
    const one = await answerPage(questionId, 'OLDEST', 1, null);
    expect(one.edges.map((edge) => edge.node.id)).toEqual([oldest]);
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const hundred = await answerPage(questionId, 'OLDEST', 100, null);
    expect(hundred.edges.map((edge) => edge.node.id)).toEqual([oldest, newest]);
    expect(hundred.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    for (const first of [1, 100]) {
      const responses = await Promise.all([
        server.gql(QuestionsDocument, { first }),
        server.gql(TagsDocument, { first }),
        server.gql(UserPostsPageDocument, { username: 'Answerer_pages', first }),
      ]);
      for (const response of responses) expect(response.errors).toBeUndefined();
    }
  });

  it('should give 10 answers, 20 replies and 20 tags when first is omitted', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question pour les tailles par défaut' })).id;
    const answerIds = await answers(questionId, 11);
    const top = await server.gql(AnswersDocument, { id: questionId });
    expect(top.data?.question?.answers.edges.map((edge) => edge.node.id)).toEqual(answerIds.slice(0, 10));
    expect(top.data?.question?.answers).toMatchObject({ totalCount: 11, pageInfo: { hasNextPage: true } });

    const replyIds: string[] = [];
    for (let i = 0; i < 21; i++) replyIds.push((await reply(server, asker, answerIds[0], `Réplique ${i}`)).id);
    const replies = await server.gql(RepliesDocument, { answerId: answerIds[0] });
    expect(replies.data?.node).toMatchObject({ replyCount: 21, replies: { totalCount: 21 } });
    const replyPage = replies.data?.node && 'replies' in replies.data.node ? replies.data.node.replies : null;
    expect(replyPage?.nodes.map((node) => node.id)).toEqual(replyIds.slice(0, 20));
    expect(replyPage?.pageInfo.hasNextPage).toBe(true);

    for (let i = 0; i < 5; i++) {
      await ask(server, asker, {
        title: `Une question aux cinq étiquettes ${i}`,
        tags: [1, 2, 3, 4, 5].map((n) => `defaut-${i}-${n}`),
      });
    }
    const tags = await server.gql(TagsDocument, {});
    expect(tags.errors).toBeUndefined();
    expect(tags.data!.tags.nodes).toHaveLength(20);
    expect(tags.data!.tags.pageInfo.hasNextPage).toBe(true);
    expect(tags.data!.tags.totalCount).toBeGreaterThanOrEqual(26);
  });
});

describe('cursors', () => {
  const cursorProblem = { code: 'BAD_USER_INPUT', field: 'after', rule: 'cursor' };

  it('should give BAD_USER_INPUT naming after for a malformed cursor on every connection', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question pour les curseurs mal formés' })).id;
    const answerId = (await answer(server, answerer, questionId)).id;
    const forged = [
      'not-a-cursor',
      '%%%',
      Buffer.from('{"not":"an array"}').toString('base64url'),
      Buffer.from(JSON.stringify(['TOP', 'deux', '2026-01-01T00:00:00.000Z', 1])).toString('base64url'),
    ];
    for (const after of forged) {
      const responses = await Promise.all([
        server.gql(QuestionsDocument, { after }),
        server.gql(AnswersDocument, { id: questionId, after, orderBy: 'TOP' }),
        server.gql(RepliesDocument, { answerId, after }),
        server.gql(TagsDocument, { after }),
      ]);
      expect(responses.map(problem)).toEqual([cursorProblem, cursorProblem, cursorProblem, cursorProblem]);
    }
  });

  it('should give BAD_USER_INPUT naming after for a cursor of another order', async () => {
    await ask(server, asker, { title: 'Une question pour les curseurs croisés', tags: ['curseurs'] });
    await ask(server, asker, { title: 'Une autre question pour les curseurs croisés', tags: ['curseurs'] });
    const newest = await server.gql(QuestionsDocument, { first: 1, orderBy: 'NEWEST' });
    const cursor = newest.data!.questions.pageInfo.endCursor!;
    expect(problem(await server.gql(QuestionsDocument, { first: 1, after: cursor, orderBy: 'TOP' }))).toEqual(
      cursorProblem,
    );
    expect(problem(await server.gql(QuestionsDocument, { first: 1, after: cursor, orderBy: 'ACTIVE' }))).toEqual(
      cursorProblem,
    );

    const questionId = (await ask(server, asker, { title: 'Une question pour les curseurs de réponses' })).id;
    await answers(questionId, 2);
    const oldest = await answerPage(questionId, 'OLDEST', 1, null);
    const top = await server.gql(AnswersDocument, {
      id: questionId,
      first: 1,
      after: oldest.pageInfo.endCursor,
      orderBy: 'TOP',
    });
    expect(problem(top)).toEqual(cursorProblem);
  });

  it('should give BAD_USER_INPUT naming after for a cursor of another list in the same order', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question pour les curseurs venus d’une autre liste' }))
      .id;
    await answers(questionId, 2);
    const newest = await server.gql(QuestionsDocument, { first: 1, orderBy: 'NEWEST' });
    const questionCursor = newest.data!.questions.pageInfo.endCursor;
    const response = await server.gql(AnswersDocument, {
      id: questionId,
      first: 1,
      after: questionCursor,
      orderBy: 'NEWEST',
    });
    expect(problem(response)).toEqual(cursorProblem);
  });
});
