import { beforeAll, describe, expect, it } from '@jest/globals';
import { print } from 'graphql';
import { ThreadViewDocument } from '../schema/trusted-documents/graphql.js';
import { CloseReason } from '../entities/moderation-enums.js';
import { importDemoThread } from '../src/demo/import-demo.js';
import type { User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { globalId } from './support/ids.js';
import { serve, startTestServer } from './support/servers.js';

/*
 * Thread pages answered by their one compiled statement (src/http/compiled-pages.ts) against the
 * same pages run by graphql-js: a second server on the same database with compiledPages off. Every
 * response must be the same bytes, with the same status and content type.
 */

let server: TestServer;
let graphqlJsUrl: string;
let reader: User;
let authors: User[];
const questions: string[] = [];

const threadView = print(ThreadViewDocument);

/** The thread page as Apollo Client sends it by default: __typename on every object. */
const withTypenames = `query ThreadView($id: ID!) {
  question(id: $id) {
    __typename id title eventCursor viewerVote
    author { __typename id username }
    tags { __typename id name }
    answers(first: 10, orderBy: TOP) {
      __typename totalCount
      nodes { __typename id score isAccepted author { __typename displayName } replies { __typename nodes { __typename id body } } }
    }
  }
}`;

/** Aliases, every field a statement reads, and page arguments from variables. */
const everyField = `query Everything($q: ID!, $first: Int, $order: AnswerOrder, $replies: Int = 2) {
  thread: question(id: $q) {
    id title body score createdAt updatedAt editedAt revisionCount lastActivityAt answerCount closedAt
    viewerVote eventCursor
    by: author { id username displayName }
    tags { name }
    answers(first: $first, orderBy: $order) {
      totalCount
      list: nodes {
        id body score createdAt updatedAt editedAt revisionCount viewerVote replyCount isAccepted
        author { username }
        replies(first: $replies) { totalCount nodes { id body score createdAt editedAt viewerVote author { id } } }
      }
    }
  }
}`;

/** Edges with cursors, page info, fragments (named and inline, overlapping on leaves), bodyHTML. */
const edgesAndFragments = `query Edges($id: ID!, $first: Int, $order: AnswerOrder) {
  question(id: $id) {
    __typename id ...QuestionHead
    ... on Question { followerCount id }
    answers(first: $first, orderBy: $order) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id ...PostBody replies(first: 2) { edges { cursor node { ...PostBody } } pageInfo { hasNextPage endCursor } } } }
    }
  }
}
fragment QuestionHead on Question { id title ...PostBody tags { ...TagName } }
fragment PostBody on Post { id ... on Node { id } }
fragment TagName on Tag { __typename name }`;

/** What both servers answer to `body`, POSTed (or sent as a GET's query string), with `token` as Bearer when given. */
async function both(body: Record<string, unknown>, token?: string, accept?: string, method: 'POST' | 'GET' = 'POST') {
  const headers: Record<string, string> = method === 'POST' ? { 'content-type': 'application/json' } : {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (accept) headers.accept = accept;
  const search = new URLSearchParams(
    Object.entries(body).map(([name, value]): [string, string] => [
      name,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  const read = async (url: string) => {
    const response =
      method === 'POST'
        ? await fetch(`${url}/graphql`, { method, headers, body: JSON.stringify(body) })
        : await fetch(`${url}/graphql?${search}`, { headers });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };
  return { compiled: await read(server.url), graphqlJs: await read(graphqlJsUrl) };
}

/** How many pages the compiling server has answered by their statement. */
async function compiledCount(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^thread_pages_compiled_total (\d+)$/m.exec(text)?.[1]);
}

beforeAll(async () => {
  server = await startTestServer();
  graphqlJsUrl = (await serve(server.db, { compiledPages: false })).url;
  reader = await server.signUp('Lecteur_compiled');
  authors = await Promise.all(
    ['Auteur1_compiled', 'Auteur2_compiled', 'Auteur3_compiled'].map((n) => server.signUp(n)),
  );
  const { services } = server;
  const as = (i: number) => ({ userId: authors[i % authors.length].userId });
  questions.push(globalId('Question', await importDemoThread(server.db, services, { password: 'password123' })));

  // Bodies JSON must escape, tied scores, votes both ways, an edit, a deletion, an acceptance, a closed question.
  const awkward = 'Guillemets " et \\ barre, tab\tligne\nretour\r, contrôle \u0001\u001f, \u2028 emoji 🧵 </script>';
  for (let t = 0; t < 3; t += 1) {
    const question = await services.questions.ask(as(t), {
      title: `Question compilée numéro ${t} : « ${awkward.slice(0, 30)} »`,
      body: `${awkward} ${t}`,
      tags: t === 0 ? ['innovation'] : ['reseau', 'innovation', `tag${t}`],
    });
    const answerIds: number[] = [];
    for (let a = 0; a < 12 - t * 5; a += 1) {
      const answer = await services.answers.answer(as(a + 1), question.rowId, { body: `Réponse ${a} ${awkward}` });
      answerIds.push(answer.rowId);
      if (a % 3 !== 2) {
        await services.votes.vote(
          { userId: reader.userId },
          { rowId: answer.rowId, kind: 'answer' },
          a % 3 ? 'UP' : 'DOWN',
        );
      }
      for (let r = 0; r < a % 7; r += 1) {
        const reply = await services.answers.reply(as(r), answer.rowId, { body: `Réplique ${r} @Auteur1_compiled` });
        if (r === 1) await services.votes.vote({ userId: reader.userId }, { rowId: reply.rowId, kind: 'reply' }, 'UP');
      }
    }
    if (answerIds.length > 3) {
      await services.posts.edit(as(2), { rowId: answerIds[1], kind: 'answer' }, { body: 'Réponse corrigée' });
      await services.posts.delete(as(3), { rowId: answerIds[2], kind: 'answer' });
      await services.questions.accept(as(t), answerIds[3]);
    }
    if (t === 1) {
      await services.moderation.close(
        { userId: reader.userId, role: 'MODERATOR' },
        question.rowId,
        CloseReason.UNCLEAR,
        null,
      );
    }
    questions.push(globalId('Question', question.rowId));
  }
  const deleted = await services.questions.ask(as(0), {
    title: 'Une question bientôt supprimée',
    body: 'x',
    tags: ['innovation'],
  });
  await services.posts.delete(as(0), { rowId: deleted.rowId, kind: 'question' });
  questions.push(globalId('Question', deleted.rowId), globalId('Question', 999_999));
}, 120_000);

describe('a thread page answered by its compiled statement', () => {
  it('should answer every page, anonymous and signed in, with the bytes graphql-js gives', async () => {
    const before = await compiledCount();
    let pages = 0;
    for (const id of questions) {
      for (const token of [undefined, reader.token, authors[1].token]) {
        const requests = [
          { query: threadView, variables: { id } },
          { query: withTypenames, variables: { id }, operationName: 'ThreadView' },
          { query: everyField, variables: { q: id } },
          { query: everyField, variables: { q: id, first: 3, order: 'NEWEST', replies: 1 } },
          { query: everyField, variables: { q: id, first: 100, order: 'OLDEST', replies: null } },
          { query: edgesAndFragments, variables: { id } },
          { query: edgesAndFragments, variables: { id, first: 2, order: 'NEWEST' } },
          { query: edgesAndFragments, variables: { id, first: 20, order: 'OLDEST' } },
          {
            query: `query ($id: ID!) { question(id: $id) { id id bodyHTML answers(first: 1) { nodes { bodyHTML } } } }`,
            variables: { id },
          },
        ];
        for (const request of requests) {
          for (const method of ['POST', 'GET'] as const) {
            const { compiled, graphqlJs } = await both(request, token, undefined, method);
            expect(compiled).toEqual(graphqlJs);
            expect(compiled.status).toBe(200);
            pages += 1;
          }
        }
      }
    }
    expect(await compiledCount()).toBe(before + pages);
    // The pages hold what they should: not only nulls.
    const demo = JSON.parse((await both({ query: threadView, variables: { id: questions[0] } })).compiled.body);
    expect(demo.data.question.answers.nodes.length).toBeGreaterThan(3);
    // A compiled endCursor reads the next page.
    const first = JSON.parse(
      (await both({ query: edgesAndFragments, variables: { id: questions[0], first: 2 } })).compiled.body,
    );
    const { endCursor, hasNextPage } = first.data.question.answers.pageInfo;
    expect(hasNextPage).toBe(true);
    const next = await server.post({
      query: `query ($id: ID!, $after: String) { question(id: $id) { answers(first: 2, after: $after) { nodes { id } } } }`,
      variables: { id: questions[0], after: endCursor },
    });
    expect(next.errors).toBeUndefined();
    const nextIds = (next.data as { question: { answers: { nodes: Array<{ id: string }> } } }).question.answers.nodes;
    expect(nextIds).toHaveLength(2);
    expect(nextIds.map((node) => node.id)).not.toContain(first.data.question.answers.edges[1].node.id);
  });

  it('should answer pages of many shapes alike, past the statements it prepares', async () => {
    const before = await compiledCount();
    // Each alias is a statement of its own: more of them than the server prepares (100).
    for (let i = 0; i < 120; i += 1) {
      const query = `query ($id: ID!) { question(id: $id) { t${i}: title answers(first: 2) { nodes { s${i}: score } } } }`;
      const { compiled, graphqlJs } = await both(
        { query, variables: { id: questions[1] } },
        i % 2 ? reader.token : undefined,
      );
      expect(compiled).toEqual(graphqlJs);
    }
    expect(await compiledCount()).toBe(before + 120);
  });

  it('should answer with the content type Apollo would choose for each Accept header', async () => {
    const request = { query: threadView, variables: { id: questions[1] } };
    for (const accept of [
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
      '*/*',
    ]) {
      const { compiled, graphqlJs } = await both(request, undefined, accept);
      expect(compiled).toEqual(graphqlJs);
    }
    const before = await compiledCount();
    // Left to Apollo: the callback spec, and types neither answers in.
    for (const accept of ['application/json; callbackSpec=1.0', 'text/html']) {
      const { compiled, graphqlJs } = await both(request, undefined, accept);
      expect(compiled).toEqual(graphqlJs);
    }
    expect(await compiledCount()).toBe(before);
  });

  it('should leave to graphql-js what would be an error or what it does not read, answered the same', async () => {
    const id = questions[1];
    const before = await compiledCount();
    const requests = [
      { query: threadView, variables: { id: globalId('Answer', 1) } },
      { query: threadView, variables: { id: 'not an id' } },
      { query: threadView, variables: {} },
      { query: everyField, variables: { q: id, first: 0 } },
      { query: everyField, variables: { q: id, first: 101 } },
      { query: everyField, variables: { q: id, order: 'SIDEWAYS' } },
      { query: `{ question(id: "${id}") { answers(first: 2, after: "x") { nodes { id } } } }` },
      { query: `{ question(id: "${id}") { answers(before: "x") { pageInfo { hasNextPage } } } }` },
      { query: `{ question(id: "${id}") { mentions { id } acceptedAnswer { id } } }` },
      { query: `{ question(id: "${id}") { ...on Answer { id } } }` },
      { query: `{ question(id: "${id}") { ...F } } fragment F on Post { id }`, operationName: 'Named' },
      { query: `{ question(id: "${id}") { id @include(if: false) title } }` },
      { query: `{ question(id: "${id}") { ... @skip(if: true) { id } title } }` },
      { query: `{ question(id: "${id}") { id } question2: question(id: "${id}") { id } }` },
      { query: `{ question(id: "${id}") { author { id } author { username } } }` },
      { query: `{ question(id: "${id}") { nope } }` },
      { query: threadView, variables: { id }, operationName: 'Other' },
    ];
    for (const request of requests) {
      const { compiled, graphqlJs } = await both(request);
      expect(compiled.status).toBe(graphqlJs.status);
      // Each error carries its own request's id.
      const withoutIds = (body: string) => body.replace(/"requestId":"[^"]+"/g, '');
      expect(withoutIds(compiled.body)).toBe(withoutIds(graphqlJs.body));
      expect(compiled.type).toBe(graphqlJs.type);
    }
    const signedOut = await both({ query: threadView, variables: { id } }, 'not-a-token');
    expect(signedOut.compiled.status).toBe(401);
    expect(JSON.parse(signedOut.compiled.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await compiledCount()).toBe(before);
  });
});
