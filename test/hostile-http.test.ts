import { beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphQLFormattedError } from 'graphql';
import { randomBytes } from 'node:crypto';
import { LogOutDocument } from '../schema/trusted-documents/graphql.js';
import type { ThreadIds, User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import {
  expectStillServing,
  fanOutBomb,
  nestedConnections,
  postTo,
  targetThread,
  type HttpAnswer,
} from './support/hostile.js';
import { serve, startTestServer } from './support/servers.js';

let server: TestServer;
let ids: ThreadIds;
/** A second server on the same database with NODE_ENV=production. */
let production: Awaited<ReturnType<typeof serve>>;
let alice: User;
let bob: User;
beforeAll(async () => {
  server = await startTestServer();
  // The default limits, as production has them (the harness raises some for tests).
  production = await serve(server.db, { nodeEnv: 'production', limits: 'default' });
  ({ alice, bob, ids } = await targetThread(server));
});

/** POSTs `body` to /graphql of `url` (this file's server unless told), signed in with `token` when given. */
function post(body: unknown, token?: string, url = server.url): Promise<HttpAnswer> {
  return postTo(url, body, token);
}

/** Sends `query` by GET, with the header Apollo's CSRF prevention asks of a GET. */
async function get(query: string): Promise<HttpAnswer> {
  const url = new URL('/graphql', server.url);
  url.searchParams.set('query', query);
  const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
  const json = (await response.json()) as { data?: unknown; errors?: GraphQLFormattedError[] };
  return { status: response.status, data: json.data ?? null, errors: json.errors ?? [] };
}

/** `depth` levels of `acceptedAnswer { question { … } }` under `question(id)`: depth 2 + 2 × pairs. */
function depthBomb(pairs: number): string {
  return `{ question(id: "${ids.question}") { ${'acceptedAnswer { question { '.repeat(pairs)}id${' } }'.repeat(pairs)} } }`;
}

/** One hostile request and what it must get: its status, and its errors' extensions in order. */
interface Hostile {
  name: string;
  send(): Promise<HttpAnswer>;
  status: number;
  /** @default null */
  data?: unknown;
  errors: Array<Record<string, unknown>>;
}

const hostile: Hostile[] = [
  {
    name: 'a depth bomb of 14 levels',
    send: () => post({ query: depthBomb(6) }),
    status: 400,
    errors: [{ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 10, depth: 14 }],
  },
  {
    name: '40 aliases',
    send: () => post({ query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }` }),
    status: 400,
    errors: [{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases', max: 30, aliases: 40 }],
  },
  {
    name: '21 directives',
    send: () => post({ query: `{ ${'__typename @skip(if: false) '.repeat(21)}}` }),
    status: 400,
    errors: [{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'directives', max: 20, directives: 21 }],
  },
  {
    name: 'a document of 2,004 tokens (counted up to 2,001)',
    send: () => post({ query: `{ viewer { ${'id '.repeat(1999)}} }` }),
    status: 400,
    errors: [{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens', max: 2000, tokens: 2001 }],
  },
  {
    name: 'a document of 15,019 characters, mostly a comment',
    send: () => post({ query: `{ __typename }\n#${'x'.repeat(15_003)}` }),
    status: 400,
    errors: [{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'documentChars', max: 15_000, documentChars: 15_019 }],
  },
  {
    name: 'a too long document sent by GET',
    send: () => get(`{ __typename }\n#${'x'.repeat(15_003)}`),
    status: 400,
    errors: [{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'documentChars', max: 15_000 }],
  },
  {
    name: 'a fragment cycle',
    send: () => post({ query: '{ ...A } fragment A on Query { viewer { id } ...B } fragment B on Query { ...A }' }),
    status: 400,
    errors: [{ code: 'GRAPHQL_VALIDATION_FAILED' }],
  },
  {
    name: 'a fragment fan-out bomb (10⁹ fields once expanded)',
    send: () => post({ query: fanOutBomb }),
    status: 400,
    errors: [{ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 50_000, cost: 1_000_000_000 }],
  },
  {
    name: 'three nested first: 100 connections',
    send: () => post({ query: nestedConnections }),
    status: 400,
    errors: [{ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 50_000, cost: 2_020_200 }],
  },
  {
    name: 'first: 1000000',
    send: () => post({ query: '{ questions(first: 1000000) { totalCount } }' }),
    status: 200,
    errors: [{ code: 'BAD_USER_INPUT', field: 'first', rule: 'range' }],
  },
  {
    name: 'a JSON batch of 500 operations',
    send: () => post(Array.from({ length: 500 }, () => ({ query: '{ __typename }' }))),
    status: 400,
    errors: [{ code: 'BAD_USER_INPUT' }],
  },
  {
    name: 'a 5 MB body',
    send: () => post({ query: '{ __typename }', variables: { padding: 'x'.repeat(5 * 1024 * 1024) } }),
    status: 413,
    errors: [{ code: 'BAD_USER_INPUT' }],
  },
  {
    name: 'malformed JSON',
    send: () => post('{"query": "{ __typename }",'),
    status: 400,
    errors: [{ code: 'BAD_USER_INPUT' }],
  },
  {
    name: 'an object for an ID variable',
    send: () => post({ query: 'query ($id: ID!) { question(id: $id) { id } }', variables: { id: { $ne: null } } }),
    status: 400,
    errors: [{ code: 'BAD_USER_INPUT' }],
  },
  {
    name: 'a string for an Int variable',
    send: () => post({ query: 'query ($n: Int) { questions(first: $n) { totalCount } }', variables: { n: '10; --' } }),
    status: 400,
    errors: [{ code: 'BAD_USER_INPUT' }],
  },
  {
    name: 'an answer id where a question id is expected',
    send: () => post({ query: `{ question(id: "${ids.answer}") { id } }` }),
    status: 200,
    data: { question: null },
    errors: [{ code: 'BAD_USER_INPUT', field: 'id', rule: 'idType' }],
  },
  {
    name: 'an id that is not one of ours',
    send: () => post({ query: `{ question(id: "1 OR 1=1") { id } }` }),
    status: 200,
    data: { question: null },
    errors: [{ code: 'BAD_USER_INPUT', field: 'id', rule: 'globalId' }],
  },
  {
    name: 'a forged token',
    send: () => post({ query: '{ viewer { id } }' }, randomBytes(32).toString('base64url')),
    status: 401,
    errors: [{ code: 'UNAUTHENTICATED' }],
  },
  {
    name: 'an expired token',
    send: async () => {
      const { token, userId } = await server.signUp();
      // No API expires a session early: move its expiry into the past by hand.
      await server.db.query(`UPDATE session SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [userId]);
      return post({ query: '{ viewer { id } }' }, token);
    },
    status: 401,
    errors: [{ code: 'UNAUTHENTICATED' }],
  },
  {
    name: 'a token revoked by logOut',
    send: async () => {
      const { token } = await server.signUp();
      expect((await server.gql(LogOutDocument, {}, token)).data?.logOut).toBe(true);
      return post({ query: '{ viewer { id } }' }, token);
    },
    status: 401,
    errors: [{ code: 'UNAUTHENTICATED' }],
  },
  {
    name: "an edit of another user's post",
    send: () =>
      post({ query: `mutation { editPost(input: { id: "${ids.question}", body: "Pwned" }) { id } }` }, bob.token),
    status: 200,
    errors: [{ code: 'FORBIDDEN' }],
  },
  {
    name: "a deletion of another user's post",
    send: () => post({ query: `mutation { deletePost(id: "${ids.answer}") }` }, alice.token),
    status: 200,
    errors: [{ code: 'FORBIDDEN' }],
  },
  {
    name: "a vote on one's own post",
    send: () =>
      post({ query: `mutation { vote(input: { targetId: "${ids.question}", value: UP }) { id } }` }, alice.token),
    status: 200,
    errors: [{ code: 'FORBIDDEN' }],
  },
  {
    name: 'a mutation sent by GET',
    send: () => get(`mutation { deletePost(id: "${ids.question}") }`),
    status: 405,
    errors: [{ code: 'BAD_USER_INPUT' }],
  },
];

describe('hostile requests over HTTP', () => {
  it.each(hostile)(
    'should answer $name with status $status and $errors.0.code, run nothing, and keep serving',
    async ({ send, status, data = null, errors }) => {
      const answer = await send();
      expect({ status: answer.status, data: answer.data }).toEqual({ status, data });
      expect(answer.errors).toHaveLength(errors.length);
      answer.errors.forEach((error, i) => expect(error.extensions).toMatchObject(errors[i]));
      await expectStillServing(server, ids);
    },
  );

  it('should have left the posts that hostile requests tried to change as they were', async () => {
    const rows = await server.db.query(`SELECT body, deleted_at FROM post ORDER BY id`);
    expect(rows).toEqual([
      { body: 'Des idées ?', deleted_at: null },
      { body: 'Oui.', deleted_at: null },
      { body: 'Merci.', deleted_at: null },
    ]);
    expect(await server.drift()).toEqual([]);
  });

  it('should give "Did you mean" suggestions outside production only', async () => {
    const typo = { query: '{ questoins { totalCount } }' };
    const [test, prod] = [await post(typo), await post(typo, undefined, production.server.url)];
    expect(test.errors.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(test.errors[0].message).toMatch(/Did you mean "questions"/);
    expect(prod.errors.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(prod.errors[0].message).toBe('Cannot query field "questoins" on type "Query".');
  });

  it('should apply the same limits in production', async () => {
    const answer = await post({ query: nestedConnections }, undefined, production.server.url);
    expect(answer.errors.map((error) => error.extensions)).toMatchObject([
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', cost: 2_020_200, max: 50_000 },
    ]);
  });
});
