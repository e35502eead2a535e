import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { gql } from '@apollo/client';
import { createHash, randomUUID } from 'node:crypto';
import { createApolloHttpClient } from './clients/apollo-http.js';
import { AskQuestionDocument } from '../schema/trusted-documents/graphql.js';
import { redisAnswers, redisUrl } from './support/redis.js';
import { serve, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The `extensions` of an automatic persisted query. */
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

/** Sends a hash-only (or full, with `query`) APQ request to `url` by POST. */
async function post(url: string, body: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Sends a hash-only APQ request by GET, as a CDN would cache it. */
async function getHashOnly(url: string, query: string) {
  const target = new URL('/graphql', url);
  target.searchParams.set('extensions', JSON.stringify(persisted(query)));
  const response = await fetch(target);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const notFound = {
  errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) })],
};

describe('automatic persisted queries', () => {
  it('should answer an unknown hash with PERSISTED_QUERY_NOT_FOUND, over POST and GET', async () => {
    const query = `{ __typename # ${randomUUID()}\n}`;
    expect(await post(server.url, { extensions: persisted(query) })).toEqual({ status: 200, body: notFound });
    expect(await getHashOnly(server.url, query)).toEqual({ status: 200, body: notFound });
  });

  it('should run a hash-only request, POST or GET, once the document is registered with its hash', async () => {
    const query = `{ __typename # ${randomUUID()}\n}`;
    expect(await post(server.url, { query, extensions: persisted(query) })).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
    expect(await post(server.url, { extensions: persisted(query) })).toEqual({
      status: 200,
      body: { data: { __typename: 'Query' } },
    });
    expect(await getHashOnly(server.url, query)).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('should refuse another protocol version', async () => {
    const answer = await post(server.url, {
      extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ a }') } },
    });
    expect(answer).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'persistedQuery', rule: 'version' } }] },
    });
  });

  it('should refuse a document whose hash does not match', async () => {
    const answer = await post(server.url, { query: '{ __typename }', extensions: persisted('{ viewer { id } }') });
    expect(answer).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'persistedQuery', rule: 'hash' } }] },
    });
  });

  it.each([
    ['POST', false],
    ['GET', true],
  ])("should serve Apollo Client's persisted-queries link, hashes sent by %s", async (method, useGET) => {
    const { token } = await server.signUp();
    const asked = await server.gql(
      AskQuestionDocument,
      { input: { title: `Persisted ${randomUUID()}`, body: 'Hashed.', tags: ['apq'] } },
      token,
    );
    const id = asked.data!.askQuestion.id;
    const client = createApolloHttpClient(server.url, useGET);
    // One document per case, so that each starts unknown to the server.
    const query = gql(`
      query PersistedBy${method}($id: ID!) {
        question(id: $id) {
          id
          title
        }
      }
    `);
    const sent: { method: string; withQuery: boolean }[] = [];
    const realFetch = globalThis.fetch;
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const text = `${String(input)} ${typeof init?.body === 'string' ? init.body : ''}`;
      sent.push({ method: init?.method ?? 'GET', withQuery: /query(=|":)/.test(text) });
      return realFetch(input, init);
    });
    const first = await client.query({ query, variables: { id }, fetchPolicy: 'network-only' });
    const second = await client.query({ query, variables: { id }, fetchPolicy: 'network-only' });
    spy.mockRestore();
    // Hash only, then the document once on PERSISTED_QUERY_NOT_FOUND, then the hash alone.
    expect(sent).toEqual([
      { method, withQuery: false },
      { method: 'POST', withQuery: true },
      { method, withQuery: false },
    ]);
    expect(first.data).toEqual(second.data);
    expect(first.data).toMatchObject({ question: { id, title: expect.stringMatching(/^Persisted/) } });
    client.stop();
  });
});

const withRedis = (await redisAnswers()) ? describe : describe.skip;

withRedis('automatic persisted queries with REDIS_URL', () => {
  it('should run on one instance a hash registered through another', async () => {
    const one = await serve(server.db, { redisUrl });
    const two = await serve(server.db, { redisUrl });
    try {
      const query = `{ __typename # ${randomUUID()}\n}`;
      await post(one.server.url, { query, extensions: persisted(query) });
      expect(await getHashOnly(two.server.url, query)).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    } finally {
      await one.close();
      await two.close();
    }
  });
});
