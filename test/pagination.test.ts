import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  AnswersDocument,
  DeletePostDocument,
  QuestionsDocument,
  RepliesDocument,
  TagQuestionsDocument,
  TagsDocument,
  UserPostsPageDocument,
  type AnswerOrder,
  type AnswersQuery,
  type QuestionOrder,
  type QuestionsQuery,
  type RepliesQuery,
  type TagsQuery,
} from './generated/operations.js';
import { answer, ask, reply, vote, type User } from './support/actions.js';
import type { Response, TestServer } from './support/harness.js';
import { problem } from './support/responses.js';
import { startTestServer } from './support/servers.js';

type AnswerPage = NonNullable<AnswersQuery['question']>['answers'];

let server: TestServer;
let asker: User;
let answerer: User;
/** Users who vote, so that scores can be set: none of them writes posts. */
let voters: User[];

beforeAll(async () => {
  server = await startTestServer();
  asker = await server.signUp('Asker_pages');
  answerer = await server.signUp('Answerer_pages');
  voters = [await server.signUp('Voter1_pages'), await server.signUp('Voter2_pages'), await server.signUp()];
});

/** Gives a post of score 0 the score `score` (-3..3), one vote per voter. */
async function setScore(targetId: string, score: number): Promise<void> {
  for (const voter of voters.slice(0, Math.abs(score))) await vote(server, voter, targetId, score > 0 ? 'UP' : 'DOWN');
}

/** `count` answers to `questionId`, written one after another (so oldest first). */
async function answers(questionId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await answer(server, answerer, questionId, `Réponse ${i}`)).id);
  return ids;
}

async function answerPage(id: string, orderBy: AnswerOrder, first: number, after: string | null): Promise<AnswerPage> {
  const response = await server.gql(AnswersDocument, { id, first, after, orderBy });
  expect(response.errors).toBeUndefined();
  return response.data!.question!.answers;
}

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

describe('tags', () => {
  beforeAll(async () => {
    await ask(server, asker, {
      title: 'Innovation sociale, premier exemple',
      tags: ['innovation', 'innovation-sociale', 'inclusion'],
    });
    await ask(server, asker, {
      title: 'Innovation sociale, second exemple',
      tags: ['Innovation', 'innovation-sociale'],
    });
    await ask(server, asker, { title: 'Innovation, troisième exemple', tags: ['innovation', 'innovateur'] });
    await ask(server, asker, { title: 'Une question sur les outils innovants', tags: ['innovant', 'innobox'] });
  });

  it('should autocomplete a prefix, most used first, ties by name', async () => {
    const response = await server.gql(TagsDocument, { prefix: 'inno' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.tags.nodes.map(({ name, questionCount }) => ({ name, questionCount }))).toEqual([
      { name: 'innovation', questionCount: 3 },
      { name: 'innovation-sociale', questionCount: 2 },
      { name: 'innobox', questionCount: 1 },
      { name: 'innovant', questionCount: 1 },
      { name: 'innovateur', questionCount: 1 },
    ]);
    expect(response.data!.tags.totalCount).toBe(5);
    const upper = await server.gql(TagsDocument, { prefix: ' INNOVATION' });
    expect(upper.data?.tags.nodes.map((node) => node.name)).toEqual(['innovation', 'innovation-sociale']);
  });

  it('should treat % and _ in a prefix as themselves', async () => {
    for (const prefix of ['%', '_', 'inno%', 'inn_v']) {
      const response = await server.gql(TagsDocument, { prefix });
      expect({ prefix, tags: response.data?.tags }).toEqual({
        prefix,
        tags: { totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
      });
    }
  });

  it('should walk the tags of a prefix in pages, each once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: Response<TagsQuery> = await server.gql(TagsDocument, { prefix: 'inno', first: 2, after });
      expect(response.errors).toBeUndefined();
      seen.push(...response.data!.tags.nodes.map((node) => node.name));
      after = response.data!.tags.pageInfo.endCursor;
      if (!response.data!.tags.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(['innovation', 'innovation-sociale', 'innobox', 'innovant', 'innovateur']);
  });

  it('should give a tag by name, whatever the case, with its questions', async () => {
    const response = await server.gql(TagQuestionsDocument, { name: 'INNOVATION-Sociale', orderBy: 'NEWEST' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.tag).toMatchObject({
      name: 'innovation-sociale',
      questionCount: 2,
      questions: {
        totalCount: 2,
        nodes: [{ title: 'Innovation sociale, second exemple' }, { title: 'Innovation sociale, premier exemple' }],
      },
    });
    expect((await server.gql(TagQuestionsDocument, { name: 'innovation-inconnue' })).data).toEqual({ tag: null });
  });
});

describe('user(username)', () => {
  it("should page through a user's questions and answers, newest first, with totalCount", async () => {
    const writer = await server.signUp('Writer_pages');
    const asked: string[] = [];
    for (let i = 0; i < 3; i++)
      asked.push((await ask(server, writer, { title: `Question numéro ${i} de Writer`, tags: ['auteur'] })).id);
    const otherQuestion = (await ask(server, asker, { title: 'Une question à laquelle Writer répond' })).id;
    const answered = [
      (await answer(server, writer, otherQuestion, 'Une')).id,
      (await answer(server, writer, otherQuestion, 'Deux')).id,
    ];

    const first = await server.gql(UserPostsPageDocument, { username: 'writer_PAGES', first: 2 });
    expect(first.errors).toBeUndefined();
    const user = first.data!.user!;
    expect(user.username).toBe('Writer_pages');
    expect(user.questions).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
      nodes: [{ id: asked[2] }, { id: asked[1] }],
    });
    expect(user.answers).toMatchObject({
      totalCount: 2,
      pageInfo: { hasNextPage: false, hasPreviousPage: false },
      nodes: [{ id: answered[1] }, { id: answered[0] }],
    });

    const second = await server.gql(UserPostsPageDocument, {
      username: 'Writer_pages',
      first: 2,
      questionsAfter: user.questions.pageInfo.endCursor,
    });
    expect(second.data?.user?.questions).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
      nodes: [{ id: asked[0] }],
    });
    expect((await server.gql(UserPostsPageDocument, { username: 'nobody_here' })).data).toEqual({ user: null });
  });
});
