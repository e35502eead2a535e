import { describe, expect, it } from '@jest/globals';
import {
  QuestionsDocument,
  SearchDocument,
  SearchPageDocument,
  type SearchQuery,
} from '../schema/trusted-documents/graphql.js';
import { problem } from './support/responses.js';
import { search, seed, server, useSearchServer } from './support/search.js';

useSearchServer();

type Edge = SearchQuery['search']['edges'][number];

const demoTitle = 'Le Mouvement des entrepreneurs sociaux Midi-Pyrénées cherche à attirer des entrepreneurs sociaux';

/** Every post of the demo thread as "author: start of body", with the text a search reads. */
const seedPosts = [
  { author: 'IngridSem', body: seed.question.body, text: `${demoTitle}\n${seed.question.body}` },
  ...seed.answers
    .flatMap((answer) => [answer, ...answer.replies])
    .map(({ author, body }) => ({ author, body, text: body })),
];

/** Lower case, without accents: what the search compares. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function label(post: { author: string; body: string }): string {
  return `${post.author}: ${post.body.slice(0, 50)}`;
}

/** The labels of the seed posts whose folded text passes `test`, sorted. */
function seedPostsWhere(test: (folded: string) => boolean): string[] {
  return seedPosts
    .filter((post) => test(fold(post.text)))
    .map(label)
    .sort();
}

function labelsOf(edges: readonly Edge[]): string[] {
  return edges.map((edge) => label({ author: edge.node.author.username, body: edge.node.body })).sort();
}

const social = (folded: string) => /social|sociaux/.test(folded);
const entrepreneur = (folded: string) => /\bentrepreneurs?\b/.test(folded);

describe('search on the demo thread', () => {
  it('should find the posts holding "économie sociale" when asked for economie sociale, without accents', async () => {
    const found = await search('economie sociale');
    const withPhrase = seedPostsWhere((text) => text.includes('economie sociale'));
    expect(withPhrase.length).toBeGreaterThanOrEqual(3);
    expect(labelsOf(found.edges)).toEqual(expect.arrayContaining(withPhrase));
    for (const edge of found.edges) {
      const text = fold(`${'title' in edge.node ? edge.node.title : ''} ${edge.node.body}`);
      expect([edge.node.id, /econom/.test(text) && social(text)]).toEqual([edge.node.id, true]);
    }
    expect(found.totalCount).toBe(found.edges.length);
  });

  it("should find Jean_Philippe_RYO's answer about the podiatrist's poster, and only it, for podologue", async () => {
    const found = await search('podologue');
    expect(found.edges.map((edge) => [edge.node.__typename, edge.node.author.username])).toEqual([
      ['Answer', 'Jean_Philippe_RYO'],
    ]);
    expect(found.edges[0].node.body).toContain('Arrivé chez le podologue');
    expect(found.totalCount).toBe(1);
  });

  it('should find "entrepreneurs" by its stem when asked for entrepreneur', async () => {
    const found = await search('entrepreneur');
    expect(labelsOf(found.edges)).toEqual(seedPostsWhere(entrepreneur));
    const pluralOnly = seedPostsWhere((text) => /\bentrepreneurs\b/.test(text) && !/\bentrepreneur\b/.test(text));
    expect(pluralOnly.length).toBeGreaterThan(0);
    expect(labelsOf(found.edges)).toEqual(expect.arrayContaining(pluralOnly));
  });

  it('should ignore case and accents: ÉCONOMIE, économie and economie find the same posts', async () => {
    const lower = await search('économie');
    expect(lower.edges.length).toBeGreaterThan(0);
    expect((await search('ÉCONOMIE')).nodes).toEqual(lower.nodes);
    expect((await search('economie')).nodes).toEqual(lower.nodes);
    expect((await search('EcOnOmIe')).nodes).toEqual(lower.nodes);
  });

  it('should find a "quoted phrase" only with its words side by side, in order', async () => {
    const phrase = await search('"économie libérale"');
    const expected = seedPostsWhere((text) => text.includes('economie liberale'));
    expect(expected.length).toBeGreaterThan(0);
    expect(labelsOf(phrase.edges)).toEqual(expected);
    expect((await search('libérale économie')).edges.length).toBeGreaterThan(0);
    expect((await search('"libérale économie"')).edges).toEqual([]);
  });

  it('should leave out the posts holding an -excluded word', async () => {
    const found = await search('entrepreneur -podologue');
    const expected = seedPostsWhere((text) => entrepreneur(text) && !text.includes('podologue'));
    expect(expected.length).toBe(seedPostsWhere(entrepreneur).length - 1);
    expect(labelsOf(found.edges)).toEqual(expected);
    // On the demo thread, every post about entrepreneurs also speaks of the social.
    expect((await search('entrepreneur -social')).edges).toEqual([]);
    expect(seedPostsWhere((text) => entrepreneur(text) && !social(text))).toEqual([]);
  });

  it('should leave out the posts holding an -"excluded phrase"', async () => {
    const found = await search('économie -"économie libérale"');
    const expected = seedPostsWhere((text) => /econom/.test(text) && !text.includes('economie liberale'));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(seedPostsWhere((text) => /econom/.test(text)).length);
    expect(labelsOf(found.edges)).toEqual(expected);
  });

  it('should find the posts holding either word joined by or', async () => {
    const found = await search('podologue or Skilleurs');
    const expected = seedPostsWhere((text) => text.includes('podologue') || /\bskilleurs?\b/.test(text));
    expect(expected.length).toBe(3);
    expect(labelsOf(found.edges)).toEqual(expected);
    expect((await search('podologue Skilleurs')).edges).toEqual([]);
  });

  it('should walk every result once, in the order of the single page, two at a time', async () => {
    const whole = await search('entrepreneur');
    expect(whole.edges.length).toBeGreaterThan(4);
    const walked: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const { data, errors } = await server.gql(SearchPageDocument, { query: 'entrepreneur', first: 2, after });
      expect(errors).toBeUndefined();
      const page = data!.search;
      walked.push(...page.edges.map((edge) => edge.node.id));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges).toHaveLength(2);
      after = page.pageInfo.endCursor!;
    }
    expect(walked).toEqual(whole.nodes.map((node) => node.id));
    expect(new Set(walked).size).toBe(walked.length);
    expect(pages).toBe(Math.ceil(whole.edges.length / 2));
  });

  it('should give an empty result, not an error, for stop words, punctuation or nothing', async () => {
    for (const query of ['le la les', 'Les', '!!!', '', '   ', 'à', 'été', '?! -- "" ;']) {
      const found = await search(query, 10);
      expect([query, found.edges, found.nodes, found.totalCount, found.pageInfo.hasNextPage]).toEqual([
        query,
        [],
        [],
        0,
        false,
      ]);
    }
  });

  it('should mark the matched word in the snippet, as written', async () => {
    const [edge] = (await search('podologue')).edges;
    expect(edge.snippet).toContain('<mark>podologue</mark>');
    const accented = await search('SEDENTAIRE');
    expect(accented.nodes).toEqual([{ id: edge.node.id }]);
    expect(accented.edges[0].snippet).toContain('plutôt <mark>sédentaire</mark>');
  });

  it('should snippet a question from its title and its body', async () => {
    const found = await search('Midi-Pyrénées cherche');
    expect(found.edges.map((edge) => edge.node.__typename)).toEqual(['Question']);
    expect(found.edges[0].snippet).toContain('<mark>cherche</mark>');
  });
});

describe('search arguments', () => {
  it('should give BAD_USER_INPUT on after for a malformed cursor', async () => {
    const response = await server.gql(SearchPageDocument, { query: 'entrepreneur', after: 'not a cursor' });
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'after', rule: 'cursor' });
  });

  it("should give BAD_USER_INPUT on after for another query's cursor", async () => {
    const page = await search('entrepreneur', 2);
    const response = await server.gql(SearchPageDocument, { query: 'podologue', after: page.pageInfo.endCursor });
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'after', rule: 'cursor' });
  });

  it("should give BAD_USER_INPUT on after for a questions list's cursor", async () => {
    const { data } = await server.gql(QuestionsDocument, { first: 1 });
    const cursor = data!.questions.pageInfo.endCursor;
    const response = await server.gql(SearchPageDocument, { query: 'entrepreneur', after: cursor });
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'after', rule: 'cursor' });
  });

  it('should give BAD_USER_INPUT on first outside 1-100', async () => {
    for (const first of [0, 101, -1]) {
      const response = await server.gql(SearchPageDocument, { query: 'entrepreneur', first });
      expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'first', rule: 'range' });
    }
  });

  it('should give BAD_USER_INPUT on query past 500 characters', async () => {
    const response = await server.gql(SearchPageDocument, { query: 'économie '.repeat(60) });
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'query', rule: 'length' });
  });

  it('should read a NUL character in the query as a space', async () => {
    const found = await search('sédentaire\u0000podologue');
    expect(found.edges.map((edge) => edge.node.author.username)).toEqual(['Jean_Philippe_RYO']);
  });

  it('should default to 10 results', async () => {
    const query = 'entrepreneur or merci or pont or skilleurs';
    expect((await search(query)).totalCount).toBeGreaterThan(10);
    const { data } = await server.gql(SearchPageDocument, { query });
    expect(data!.search.edges).toHaveLength(10);
    expect(data!.search.pageInfo.hasNextPage).toBe(true);
  });
});

describe('search statements', () => {
  const searches = () => server.sql.filter((statement) => statement.includes('search_vector'));

  it('should read a page in one statement and count only when totalCount is asked for', async () => {
    server.sql.length = 0;
    const page = await server.gql(SearchPageDocument, { query: 'entrepreneur', first: 5 });
    expect(page.errors).toBeUndefined();
    expect(server.sql).toHaveLength(1);
    server.sql.length = 0;
    const counted = await server.gql(SearchDocument, { query: 'entrepreneur', first: 5 });
    expect(counted.errors).toBeUndefined();
    expect(searches()).toHaveLength(2);
  });

  it('should resolve the fields of twenty results in a flat number of statements', async () => {
    server.sql.length = 0;
    const few = await server.gql(SearchDocument, { query: 'entrepreneur', first: 2 });
    expect(few.errors).toBeUndefined();
    const forFew = server.sql.length;
    server.sql.length = 0;
    const many = await server.gql(SearchDocument, { query: 'entrepreneur', first: 20 });
    expect(many.data!.search.edges.length).toBeGreaterThan(2);
    expect(server.sql.length).toBe(forFew);
  });

  it("should bring each result's author along in the page's statement", async () => {
    server.sql.length = 0;
    const found = await server.gql(SearchDocument, { query: 'entrepreneur', first: 20 });
    expect(found.data!.search.edges.map((edge) => edge.node.author.username)).toContain('Jean_Philippe_RYO');
    expect(server.sql.filter((statement) => !statement.includes('search_vector'))).toHaveLength(1);
  });
});
