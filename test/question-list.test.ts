import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  DeletePostDocument,
  QuestionsDocument,
  type QuestionOrder,
  type QuestionsQuery,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask } from './support/actions.js';
import type { Response } from './support/harness.js';
import { answerer, asker, server, setScore, usePagesServer } from './support/pages.js';

usePagesServer();

async function questionList(orderBy: QuestionOrder, tag?: string): Promise<QuestionsQuery['questions']> {
  const response = await server.gql(QuestionsDocument, { first: 100, orderBy, tag });
  expect(response.errors).toBeUndefined();
  expect(response.data!.questions.pageInfo.hasNextPage).toBe(false);
  return response.data!.questions;
}

/** The live questions, as stored: what `questions` must count. */
async function storedQuestionCount(): Promise<number> {
  const [{ count }]: Array<{ count: number }> = await server.db.query(
    `SELECT count(*)::integer AS count FROM post WHERE kind = 'question' AND deleted_at IS NULL`,
  );
  return count;
}

describe('questions', () => {
  const tag = 'ordre-des-questions';
  let q: string[];

  beforeAll(async () => {
    q = [];
    for (let i = 0; i < 4; i++)
      q.push((await ask(server, asker, { title: `Question ordonnée numéro ${i}`, tags: [tag] })).id);
    await setScore(q[0], 2);
    await setScore(q[1], -1);
    await setScore(q[3], 1);
    // Answering q1 makes it the most active, and takes it out of UNANSWERED.
    await answer(server, answerer, q[1]);
  });

  /** The ids of `list` that are ours, in the list's order. */
  function ours(list: QuestionsQuery['questions']): string[] {
    return list.edges.map((edge) => edge.node.id).filter((id) => q.includes(id));
  }

  it('should order by last activity for ACTIVE, the default', async () => {
    const list = await questionList('ACTIVE');
    expect(ours(list)).toEqual([q[1], q[3], q[2], q[0]]);
    const nodes = list.edges.map((edge) => edge.node);
    for (const [i, node] of nodes.slice(1).entries()) {
      expect(Date.parse(node.lastActivityAt)).toBeLessThanOrEqual(Date.parse(nodes[i].lastActivityAt));
    }
    const byDefault = await server.gql(QuestionsDocument, { first: 100 });
    expect(byDefault.data?.questions.edges.map((edge) => edge.node.id)).toEqual(nodes.map((node) => node.id));
    expect(list.totalCount).toBe(await storedQuestionCount());
    expect(list.edges).toHaveLength(list.totalCount);
  });

  it('should order by creation, newest first, for NEWEST', async () => {
    const list = await questionList('NEWEST');
    expect(ours(list)).toEqual([q[3], q[2], q[1], q[0]]);
    const nodes = list.edges.map((edge) => edge.node);
    for (const [i, node] of nodes.slice(1).entries()) {
      expect(Date.parse(node.createdAt)).toBeLessThanOrEqual(Date.parse(nodes[i].createdAt));
    }
    expect(list.totalCount).toBe(await storedQuestionCount());
  });

  it('should order by score, highest first, for TOP', async () => {
    const list = await questionList('TOP');
    expect(ours(list)).toEqual([q[0], q[3], q[2], q[1]]);
    const scores = list.edges.map((edge) => edge.node.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(list.totalCount).toBe(await storedQuestionCount());
  });

  it('should list only questions without answers for UNANSWERED, newest first', async () => {
    const list = await questionList('UNANSWERED');
    expect(ours(list)).toEqual([q[3], q[2], q[0]]);
    expect(list.edges.map((edge) => edge.node.answerCount)).toEqual(list.edges.map(() => 0));
    const [{ count }]: Array<{ count: number }> = await server.db.query(
      `SELECT count(*)::integer AS count FROM post WHERE kind = 'question' AND deleted_at IS NULL AND answer_count = 0`,
    );
    expect(list.totalCount).toBe(count);
  });

  it('should take a question out of UNANSWERED once answered, and back once that answer is deleted', async () => {
    const older = (
      await ask(server, asker, { title: 'Une question sans réponse, la plus ancienne', tags: ['sans-reponse'] })
    ).id;
    const newer = (await ask(server, asker, { title: 'Une question bientôt répondue', tags: ['sans-reponse'] })).id;
    const unanswered = async (): Promise<{ ids: string[]; totalCount: number; everywhere: string[] }> => {
      const tagged = await questionList('UNANSWERED', 'sans-reponse');
      const all = await questionList('UNANSWERED');
      const everywhere = all.edges.map((edge) => edge.node.id).filter((id) => id === older || id === newer);
      return { ids: tagged.edges.map((edge) => edge.node.id), totalCount: tagged.totalCount, everywhere };
    };
    expect(await unanswered()).toEqual({ ids: [newer, older], totalCount: 2, everywhere: [newer, older] });
    const answerId = (await answer(server, answerer, newer)).id;
    expect(await unanswered()).toEqual({ ids: [older], totalCount: 1, everywhere: [older] });
    expect((await server.gql(DeletePostDocument, { id: answerId }, answerer.token)).errors).toBeUndefined();
    expect(await unanswered()).toEqual({ ids: [newer, older], totalCount: 2, everywhere: [newer, older] });
    expect(await server.drift()).toEqual([]);
  });

  it('should filter by tag, whatever its case, in every order', async () => {
    const orders: Record<QuestionOrder, string[]> = {
      ACTIVE: [q[1], q[3], q[2], q[0]],
      NEWEST: [q[3], q[2], q[1], q[0]],
      TOP: [q[0], q[3], q[2], q[1]],
      UNANSWERED: [q[3], q[2], q[0]],
    };
    for (const [orderBy, ids] of Object.entries(orders) as Array<[QuestionOrder, string[]]>) {
      const list = await questionList(orderBy, '  Ordre-Des-QUESTIONS ');
      expect({ orderBy, ids: list.edges.map((edge) => edge.node.id), totalCount: list.totalCount }).toEqual({
        orderBy,
        ids,
        totalCount: ids.length,
      });
      for (const edge of list.edges) expect(edge.node.tags).toEqual([{ name: tag }]);
    }
  });

  it('should give an empty connection with totalCount 0 for an unknown tag', async () => {
    const response = await server.gql(QuestionsDocument, { tag: 'etiquette-inconnue' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.questions).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null },
      edges: [],
    });
  });

  it('should walk a tag in pages of one, each question once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: Response<QuestionsQuery> = await server.gql(QuestionsDocument, {
        first: 1,
        after,
        tag,
        orderBy: 'TOP',
      });
      expect(response.errors).toBeUndefined();
      const list = response.data!.questions;
      expect(list.totalCount).toBe(4);
      expect(list.pageInfo.hasPreviousPage).toBe(page > 0);
      seen.push(...list.edges.map((edge) => edge.node.id));
      after = list.pageInfo.endCursor;
      if (!list.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual([q[0], q[3], q[2], q[1]]);
  });
});
