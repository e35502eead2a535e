import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { gql } from '@urql/core';
import { createUrqlClient } from './clients/urql.js';
import { startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Sends `query` by GET with `headers` and no preflight header, as a cross-site page could. */
async function get(query: string, headers: Record<string, string> = {}) {
  const url = new URL('/graphql', server.url);
  url.searchParams.set('query', query);
  const response = await fetch(url, { headers });
  const body = (await response.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] };
  return { status: response.status, data: body.data, codes: body.errors?.map((error) => error.extensions.code) };
}

describe('urql with its default exchanges', () => {
  it('should run a query, sent by GET without a preflight header, and a mutation by POST', async () => {
    const { token, username } = await server.signUp();
    const methods: string[] = [];
    const realFetch = globalThis.fetch;
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      methods.push(init?.method ?? 'GET');
      return realFetch(input, init);
    });
    try {
      const client = createUrqlClient(server.url, token);
      const viewer = await client
        .query(
          gql`
            {
              viewer {
                username
              }
            }
          `,
          {},
        )
        .toPromise();
      expect(viewer.error).toBeUndefined();
      expect(viewer.data).toEqual({ viewer: { username, __typename: 'User' } });
      const asked = await client
        .mutation(
          gql`
            mutation Ask($input: AskQuestionInput!) {
              askQuestion(input: $input) {
                title
              }
            }
          `,
          { input: { title: 'Does urql work by GET?', body: 'It should.', tags: ['urql'] } },
        )
        .toPromise();
      expect(asked.error).toBeUndefined();
      expect(asked.data).toEqual({ askQuestion: { title: 'Does urql work by GET?', __typename: 'Question' } });
      expect(methods).toEqual(['GET', 'POST']);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('CSRF prevention', () => {
  it('should answer a GET query without a preflight header', async () => {
    expect(await get('{ __typename }')).toEqual({ status: 200, data: { __typename: 'Query' }, codes: undefined });
  });

  it('should refuse a GET mutation with 405 and run nothing, preflight header or not', async () => {
    const mutation =
      'mutation { signUp(input: { username: "Csrf_Get", displayName: "x", password: "password123" }) { token } }';
    for (const headers of [{}, { 'apollo-require-preflight': 'true' }] as Record<string, string>[]) {
      expect(await get(mutation, headers)).toEqual({ status: 405, data: undefined, codes: ['BAD_USER_INPUT'] });
    }
    expect(await server.db.query(`SELECT id FROM "user" WHERE username = 'Csrf_Get'`)).toEqual([]);
  });

  it('should refuse a GET that carries a cookie without a preflight header, as cookies would authenticate', async () => {
    expect(await get('{ __typename }', { cookie: 'session=1' })).toEqual({
      status: 400,
      data: undefined,
      codes: ['BAD_USER_INPUT'],
    });
    expect(await get('{ __typename }', { cookie: 'session=1', 'apollo-require-preflight': 'true' })).toMatchObject({
      status: 200,
    });
  });
});
