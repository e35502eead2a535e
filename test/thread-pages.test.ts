import { beforeAll, describe, expect, it } from '@jest/globals';
import { RepliesDocument, type AnswerOrder, type RepliesQuery } from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, vote } from './support/actions.js';
import type { Response } from './support/harness.js';
import {
  answerer,
  answerPage,
  answers,
  asker,
  server,
  setScore,
  usePagesServer,
  voters,
  type AnswerPage,
} from './support/pages.js';

usePagesServer();

/**
 * Reads a question's answers page by page, passing each endCursor as `after`, until hasNextPage is
 * false; `between(n)` runs after the n-th page (from 1) has been read.
 */
async function walkAnswers(
  id: string,
  orderBy: AnswerOrder,
  first: number,
  between: (pagesRead: number) => Promise<void> = async () => {},
): Promise<AnswerPage[]> {
  const pages: AnswerPage[] = [];
  let after: string | null = null;
  do {
    const page = await answerPage(id, orderBy, first, after);
    pages.push(page);
    after = page.pageInfo.endCursor;
    await between(pages.length);
  } while (pages.at(-1)!.pageInfo.hasNextPage && pages.length < 50);
  return pages;
}

function idsOf(pages: AnswerPage[]): string[] {
  return pages.flatMap((page) => page.edges.map((edge) => edge.node.id));
}

describe("walking a question's answers", () => {
  // Scores by answer, in the order written: ties at 2, 1 and 0, and the 0s fall on two pages.
  const scores = [1, 2, 0, 2, -1, 1, 0, 2];
  let questionId: string;
  let written: string[];

  beforeAll(async () => {
    questionId = (await ask(server, asker, { title: 'Une question aux nombreuses réponses notées' })).id;
    written = await answers(questionId, scores.length);
    for (const [i, score] of scores.entries()) await setScore(written[i], score);
  });

  const expected: Record<AnswerOrder, () => string[]> = {
    // Score, highest first; equal scores oldest first.
    TOP: () =>
      written
        .map((id, i) => ({ id, i, score: scores[i] }))
        .sort((a, b) => b.score - a.score || a.i - b.i)
        .map(({ id }) => id),
    NEWEST: () => [...written].reverse(),
    OLDEST: () => [...written],
  };

  it.each(['TOP', 'NEWEST', 'OLDEST'] as const)(
    'should visit every answer exactly once, in %s order, three at a time',
    async (orderBy) => {
      const pages = await walkAnswers(questionId, orderBy, 3);
      expect(idsOf(pages)).toEqual(expected[orderBy]());
      expect(pages.map((page) => page.edges.length)).toEqual([3, 3, 2]);
      expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
      expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
      expect(pages.map((page) => page.totalCount)).toEqual([8, 8, 8]);
      for (const page of pages) {
        expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      }
    },
  );

  it('should give hasNextPage false on a last page that is full', async () => {
    const pages = await walkAnswers(questionId, 'TOP', 4);
    expect(idsOf(pages)).toEqual(expected.TOP());
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, false]);
  });

  it('should give the scores it sorts by', async () => {
    const pages = await walkAnswers(questionId, 'TOP', 100);
    expect(pages.flatMap((page) => page.edges.map((edge) => edge.node.score))).toEqual([2, 2, 2, 1, 1, 0, 0, -1]);
  });
});

describe('walking answers while they change', () => {
  it('should neither skip nor repeat an answer that did not move when votes move answers already read', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question dont les réponses bougent' })).id;
    const [a0, a1, a2, a3, a4, a5, a6] = await answers(questionId, 7);
    await setScore(a0, 2);
    for (const id of [a1, a2, a3]) await setScore(id, 1);
    const moved = new Set([a0, a1]);
    const pages = await walkAnswers(questionId, 'TOP', 3, async (pagesRead) => {
      if (pagesRead !== 1) return;
      // a0 (read, first) drops to last; a1 (read) rises to first. Offset paging would skip a3.
      await vote(server, voters[0], a0, 'DOWN');
      await vote(server, voters[1], a0, 'DOWN');
      await vote(server, voters[1], a1, 'UP');
    });
    expect(idsOf(pages.slice(0, 1))).toEqual([a0, a1, a2]);
    expect(idsOf(pages).filter((id) => !moved.has(id))).toEqual([a2, a3, a4, a5, a6]);
    expect(pages.map((page) => page.totalCount)).toEqual(pages.map(() => 7));
    expect(await server.drift()).toEqual([]);
  });

  it('should neither skip nor repeat an answer when a new one is posted during a NEWEST walk', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question qui reçoit une réponse en cours de lecture' }))
      .id;
    const written = await answers(questionId, 5);
    let late = '';
    const pages = await walkAnswers(questionId, 'NEWEST', 2, async (pagesRead) => {
      if (pagesRead === 1) late = (await answer(server, answerer, questionId, 'Arrivée en retard')).id;
    });
    expect(idsOf(pages)).toEqual([...written].reverse());
    expect(idsOf(pages)).not.toContain(late);
    expect((await answerPage(questionId, 'NEWEST', 1, null)).edges[0].node.id).toBe(late);
  });
});

describe('walking replies', () => {
  it('should give replies oldest first, each once, page by page', async () => {
    const questionId = (await ask(server, asker, { title: 'Une question dont une réponse a des répliques' })).id;
    const answerId = (await answer(server, answerer, questionId)).id;
    const replyIds: string[] = [];
    for (let i = 0; i < 5; i++) replyIds.push((await reply(server, asker, answerId, `Réplique ${i}`)).id);
    const seen: string[] = [];
    const hasNext: boolean[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: Response<RepliesQuery> = await server.gql(RepliesDocument, { answerId, first: 2, after });
      expect(response.errors).toBeUndefined();
      const node = response.data!.node;
      if (node === null || !('replies' in node)) throw new Error(`expected an answer, got ${JSON.stringify(node)}`);
      expect(node.replies.totalCount).toBe(5);
      seen.push(...node.replies.nodes.map((reply) => reply.id));
      hasNext.push(node.replies.pageInfo.hasNextPage);
      after = node.replies.pageInfo.endCursor;
      if (!node.replies.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(replyIds);
    expect(hasNext).toEqual([true, true, false]);
  });
});
