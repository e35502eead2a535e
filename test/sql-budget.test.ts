import { beforeAll, describe, expect, it } from '@jest/globals';
import { QuestionsDocument, ThreadViewDocument } from '../schema/trusted-documents/graphql.js';
import { createLoaders } from '../src/loaders/index.js';
import { answerOrderings } from '../src/loaders/orderings.js';
import { threadEventState } from '../src/realtime/outbox.js';
import type { User } from './support/actions.js';
import { postGraphql, type TestServer } from './support/harness.js';
import { globalId } from './support/ids.js';
import { serve, startTestServer } from './support/servers.js';

let server: TestServer;
let reader: User;
let authors: Array<User>;
let small: string;
let large: string;

/** What a client sends to vote: the new score back, nothing more to read. */
const voteMutation = 'mutation ($input: VoteInput!) { vote(input: $input) { id score } }';

/** A thread of `answers` answers with `replies` replies each, every post voted on by the reader. */
async function thread(answers: number, replies: number): Promise<string> {
  const as = (i: number) => ({ userId: authors[i % authors.length].userId });
  const question = await server.services.questions.ask(as(0), {
    title: 'Comment attirer des entrepreneurs sociaux ?',
    body: 'Bonjour',
    tags: ['innovation', 'reseau'],
  });
  for (let a = 0; a < answers; a += 1) {
    const answer = await server.services.answers.answer(as(a + 1), question.rowId, { body: `Réponse ${a}` });
    await server.services.votes.vote({ userId: reader.userId }, { rowId: answer.rowId, kind: 'answer' }, 'UP');
    await Promise.all(
      Array.from({ length: replies }, (_, r) =>
        server.services.answers.reply(as(r), answer.rowId, { body: `Réplique ${r}` }),
      ),
    );
  }
  return globalId('Question', question.rowId);
}

/** The statements the server runs to answer one operation. */
async function statementsFor(run: () => Promise<{ errors?: unknown }>): Promise<string[]> {
  server.sql.length = 0;
  const response = await run();
  expect(response.errors).toBeUndefined();
  return [...server.sql];
}

beforeAll(async () => {
  server = await startTestServer();
  reader = await server.signUp();
  authors = await Promise.all([1, 2, 3].map(() => server.signUp()));
  small = await thread(1, 1);
  large = await thread(100, 20);
}, 180_000);

describe('the SQL budget', () => {
  it('should read the thread page in at most 6 statements, as many for 1 answer as for 100 answers of 20 replies', async () => {
    const forSmall = await statementsFor(() => server.gql(ThreadViewDocument, { id: small }));
    const forLarge = await statementsFor(() => server.gql(ThreadViewDocument, { id: large }));
    // One: the question reads its answers and their replies along.
    expect(forSmall).toHaveLength(1);
    expect(forLarge.length).toBe(forSmall.length);
  });

  it("should read the thread page with the viewer's votes in as many statements as anonymously", async () => {
    const anonymous = await statementsFor(() => server.gql(ThreadViewDocument, { id: large }));
    const signedIn = await statementsFor(() => server.gql(ThreadViewDocument, { id: large }, reader.token));
    const again = await statementsFor(() => server.gql(ThreadViewDocument, { id: large }, reader.token));
    // The token costs one statement (the session) until the server keeps it; the votes ride along with the posts.
    expect(signedIn.length).toBeLessThanOrEqual(anonymous.length + 1);
    expect(again).toHaveLength(anonymous.length);
    const page = await server.gql(ThreadViewDocument, { id: large }, reader.token);
    expect(page.data?.question?.answers.nodes.map((answer) => answer.viewerVote)).toEqual(Array(10).fill('UP'));
    expect(page.data?.question?.answers.nodes[0].replies.nodes).toHaveLength(5);
  });

  it('should cast a vote in 1 statement, its locks and event included, once the session and the post are known', async () => {
    const page = await server.gql(ThreadViewDocument, { id: small });
    const answerId = page.data!.question!.answers.nodes[0].id;
    const voter = await server.signUp();
    const cast = (value: 'UP' | 'DOWN' | 'NONE') =>
      statementsFor(() =>
        server.post(
          { query: voteMutation, variables: { input: { targetId: answerId, value } } },
          { authorization: `Bearer ${voter.token}` },
        ),
      );
    // The session and the post's kind and author are read by the first vote; the server keeps them.
    expect((await cast('UP')).length).toBeLessThanOrEqual(3);
    for (const value of ['DOWN', 'UP', 'NONE'] as const) {
      const statements = await cast(value);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toContain('cast_vote(');
    }
    expect(await server.drift()).toEqual([]);
  });

  it('should read a list of 20 questions with author, tags, answerCount and score in at most 4 statements', async () => {
    for (let i = 0; i < 20; i += 1) await thread(0, 0);
    const statements = await statementsFor(() => server.gql(QuestionsDocument, { first: 20 }));
    expect(statements.length).toBeLessThanOrEqual(4);
  });
});

describe('a question read with the answers its query asks for', () => {
  type Answers = {
    nodes: Array<{ id: string; score: number; replies?: { nodes: Array<{ id: string }>; totalCount: number } }>;
    pageInfo: { endCursor?: string | null; startCursor?: string | null };
  };
  type Data = { question: Record<string, Answers> | null };
  // The resolvers' own reads: pages most of these documents ask for are compiled (compiled-pages.test.ts).
  let graphqlJsUrl: string;
  beforeAll(async () => {
    graphqlJsUrl = (await serve(server.db, { compiledPages: false })).url;
  });
  const read = async (query: string, variables: object) => {
    server.sql.length = 0;
    const response = (await postGraphql(`${graphqlJsUrl}/graphql`, { query, variables })) as {
      data?: Data;
      errors?: unknown[];
    };
    return { ...response, statements: [...server.sql] };
  };
  const page = 'nodes { id score } pageInfo { endCursor }';

  it('should read the question, that page and its replies in one statement, as the pages alone would read them', async () => {
    const withReplies = `nodes { id score replies(first: 3) { nodes { id } totalCount } } pageInfo { endCursor }`;
    const together = await read(
      `query ($id: ID!, $first: Int) { question(id: $id) { ...Answers } }
       fragment Answers on Question { answers(first: $first, orderBy: NEWEST) { ${withReplies} } }`,
      { id: large, first: 7 },
    );
    // Two pages asked: the question cannot read both along, so each list reads on its own.
    const apart = await read(
      `query ($id: ID!) { question(id: $id) {
         a: answers(first: 7, orderBy: NEWEST) { ${withReplies} } b: answers(first: 1) { nodes { id } } } }`,
      { id: large },
    );
    expect(together.errors).toBeUndefined();
    expect(together.statements).toHaveLength(1);
    expect(apart.statements.length).toBeGreaterThan(2);
    expect(together.data?.question?.answers).toEqual(apart.data?.question?.a);
    expect(together.data?.question?.answers.nodes).toHaveLength(7);
    expect(together.data?.question?.answers.nodes[0].replies).toEqual({ nodes: expect.any(Array), totalCount: 20 });
    expect(together.data?.question?.answers.nodes[0].replies?.nodes).toHaveLength(3);

    // Through edges too; a replies cursor belongs to one answer, so replies after one are read apart.
    const edges = await read(
      `query ($id: ID!) { question(id: $id) { answers(first: 2) { edges { node { replies(first: 2) { nodes { id } } } } } } }`,
      { id: large },
    );
    expect(edges.statements).toHaveLength(1);

    const next = await read(
      `query ($id: ID!, $after: String) { question(id: $id) { answers(first: 7, after: $after, orderBy: NEWEST) { ${page} } } }`,
      { id: large, after: together.data?.question?.answers.pageInfo.endCursor },
    );
    const nextApart = await read(
      `query ($id: ID!, $after: String) { question(id: $id) {
         a: answers(first: 7, after: $after, orderBy: NEWEST) { ${page} } b: answers(first: 1) { nodes { id } } } }`,
      { id: large, after: together.data?.question?.answers.pageInfo.endCursor },
    );
    expect(next.statements).toHaveLength(1);
    expect(next.data?.question?.answers).toEqual(nextApart.data?.question?.a);
    const seen = new Set(together.data?.question?.answers.nodes.map((answer) => answer.id));
    expect(next.data?.question?.answers.nodes.some((answer) => seen.has(answer.id))).toBe(false);
  });

  it("should read a backward page (last, before) and its replies in one statement, in the forward pages' order", async () => {
    const withReplies = `nodes { id score replies(first: 3) { nodes { id } totalCount } } pageInfo { startCursor }`;
    const last = await read(
      `query ($id: ID!) { question(id: $id) { answers(last: 7, orderBy: NEWEST) { ${withReplies} } } }`,
      { id: large },
    );
    const all = await read(
      `query ($id: ID!) { question(id: $id) { answers(first: 100, orderBy: NEWEST) { ${page} } } }`,
      {
        id: large,
      },
    );
    expect(last.errors).toBeUndefined();
    expect(last.statements).toHaveLength(1);
    const ids = all.data?.question?.answers.nodes.map((answer) => answer.id) ?? [];
    expect(last.data?.question?.answers.nodes.map((answer) => answer.id)).toEqual(ids.slice(-7));
    expect(last.data?.question?.answers.nodes[0].replies?.nodes).toHaveLength(3);
    const before = await read(
      `query ($id: ID!, $before: String) { question(id: $id) { answers(last: 7, before: $before, orderBy: NEWEST) { ${page} } } }`,
      { id: large, before: last.data?.question?.answers.pageInfo.startCursor },
    );
    expect(before.statements).toHaveLength(1);
    expect(before.data?.question?.answers.nodes.map((answer) => answer.id)).toEqual(ids.slice(-14, -7));
  });

  it("should read the posts' HTML only for an operation that asks for bodyHTML, wherever it asks", async () => {
    const withoutHtml = await read(`query ($id: ID!) { question(id: $id) { answers(first: 3) { ${page} } } }`, {
      id: large,
    });
    expect(withoutHtml.statements).toHaveLength(1);
    expect(withoutHtml.statements[0]).not.toMatch(/body_html/);

    type Html = {
      bodyHTML: string;
      answers: { nodes: Array<{ bodyHTML: string; replies: { nodes: Array<{ bodyHTML: string }> } }> };
    };
    const asked = `answers(first: 3) { nodes { ...Html replies(first: 2) { nodes { ...Html } } } }`;
    const together = await read(
      `query ($id: ID!) { question(id: $id) { ...Html ${asked} } } fragment Html on Post { bodyHTML }`,
      { id: large },
    );
    // Two pages asked: each list reads on its own, with the HTML as every other read has it.
    const apart = await read(
      `query ($id: ID!) { question(id: $id) { ...Html a: ${asked} b: answers(first: 1) { nodes { id } } } }
       fragment Html on Post { bodyHTML }`,
      { id: large },
    );
    expect(together.errors).toBeUndefined();
    expect(together.statements).toHaveLength(1);
    const html = together.data?.question as unknown as Html;
    const htmlApart = apart.data?.question as unknown as Html & { a: Html['answers'] };
    expect(html.bodyHTML).toBe('<p>Bonjour</p>\n');
    expect(html.answers.nodes[0].replies.nodes[0].bodyHTML).toMatch(/^<p>Réplique \d+<\/p>/);
    expect({ bodyHTML: html.bodyHTML, nodes: html.answers.nodes }).toEqual({
      bodyHTML: htmlApart.bodyHTML,
      nodes: htmlApart.a.nodes,
    });
  });

  it('should give a post read without its HTML the HTML every other read has, in one batched statement', async () => {
    const rowId = Number(Buffer.from(large, 'base64url').toString().split(':')[1]);
    const loaders = createLoaders(server.db, null);
    const answers = { first: 3, after: null, ordering: answerOrderings.TOP };
    const question = await loaders.questionWithAnswers(rowId, answers, { first: 2 }, false);
    const page = await loaders.answersOfQuestion.load({ ...answers, parentId: rowId, totalCount: 100 });
    const posts = [question, ...page.edges.map((edge) => edge.node)];
    expect(posts.map((post) => post?.bodyHtml)).toEqual([undefined, undefined, undefined, undefined]);

    const ids = posts.map((post) => post?.rowId as number);
    server.sql.length = 0;
    const html = await Promise.all(ids.map((id) => loaders.bodyHtml.load(id)));
    expect(server.sql).toHaveLength(1);
    const withHtml = createLoaders(server.db, null);
    const read = await Promise.all(ids.map(async (id) => (await withHtml.post.load(id))?.bodyHtml));
    expect(html).toEqual(read);
    expect(html[0]).toBe('<p>Bonjour</p>\n');
    await expect(loaders.bodyHtml.load(987654)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('should still report a bad page size at the answers field, and give null for an absent question', async () => {
    const bad = await read(`query ($id: ID!) { question(id: $id) { answers(first: 0) { ${page} } } }`, { id: large });
    expect(bad.errors).toEqual([
      expect.objectContaining({
        path: ['question', 'answers'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    const absent = await read(`query ($id: ID!) { question(id: $id) { answers { ${page} } } }`, {
      id: globalId('Question', 987654),
    });
    expect(absent.errors).toBeUndefined();
    expect(absent.data?.question).toBeNull();
  });
});

describe('the thread state each subscription starts from', () => {
  const rowIdOf = (id: string) => Number(Buffer.from(id, 'base64url').toString().split(':')[1]);

  it('should be read in one statement for the subscriptions started together, and never from a cache', async () => {
    const [smallId, largeId] = [rowIdOf(small), rowIdOf(large)];
    server.sql.length = 0;
    const states = await Promise.all([smallId, largeId, smallId, 987654].map((id) => threadEventState(server.db, id)));
    expect(server.sql).toHaveLength(1);
    expect(states[0]).toEqual({ lastSeq: expect.any(Number), prunedThrough: 0 });
    expect(states[2]).toEqual(states[0]);
    expect(states[1]?.lastSeq).toBeGreaterThan(states[0]?.lastSeq ?? Infinity);
    expect(states[3]).toBeNull();

    const answer = await server.services.answers.answer({ userId: authors[1].userId }, smallId, { body: 'Encore' });
    await server.services.votes.vote({ userId: reader.userId }, { rowId: answer.rowId, kind: 'answer' }, 'UP');
    expect(await threadEventState(server.db, smallId)).toEqual({
      lastSeq: (states[0]?.lastSeq ?? 0) + 2,
      prunedThrough: 0,
    });
  });
});
