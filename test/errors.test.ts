import { beforeAll, describe, expect, it } from '@jest/globals';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { contractErrorCodes as contractCodes } from './support/contract.js';
import type { TestServer } from './support/harness.js';
import { leave, startTestServer } from './support/servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

interface HttpResult {
  status: number;
  requestId: string | null;
  body: ExecutionResult;
}

/**
 * Sends one GraphQL request over HTTP and checks what every error of every response must carry:
 * a code from the contract and the request id of the `x-request-id` header.
 */
async function graphql(init: {
  method?: 'GET' | 'POST';
  body?: unknown;
  query?: string;
  /** Sends `apollo-require-preflight: true` with a GET, as Apollo's CSRF prevention asks. @default true */
  preflight?: boolean;
}): Promise<HttpResult> {
  const url = new URL('/graphql', server.url);
  let response: globalThis.Response;
  if (init.method === 'GET') {
    url.searchParams.set('query', init.query ?? '');
    response = await fetch(url, { headers: init.preflight === false ? {} : { 'apollo-require-preflight': 'true' } });
  } else {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(init.body ?? { query: init.query }),
    });
  }
  const result: HttpResult = {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as ExecutionResult,
  };
  for (const error of result.body.errors ?? []) {
    expect([...contractCodes]).toContain(error.extensions?.code);
    expect(result.requestId).toEqual(expect.any(String));
    expect(error.extensions?.requestId).toBe(result.requestId);
  }
  return result;
}

function codes(result: HttpResult): unknown[] {
  return (result.body.errors ?? []).map((error) => error.extensions?.code);
}

/** A lazy graphql-ws client on the test server, with no retries, disposed of after the file. */
function wsClient(options: Partial<ClientOptions> = {}): Client {
  const client = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...options,
  });
  leave(() => client.dispose());
  return client;
}

/** Every result of one operation over the socket, until it completes. */
async function results<T>(client: Client, query: string): Promise<Array<FormattedExecutionResult<T, unknown>>> {
  const all: Array<FormattedExecutionResult<T, unknown>> = [];
  for await (const result of client.iterate<T>({ query })) all.push(result);
  return all;
}

describe('GraphQL errors over HTTP', () => {
  it('should give GRAPHQL_PARSE_FAILED for a syntax error', async () => {
    const result = await graphql({ query: '{ viewer { id ' });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.body.data).toBeUndefined();
  });

  it('should give GRAPHQL_VALIDATION_FAILED for an unknown field', async () => {
    const result = await graphql({ query: '{ nope }' });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.body.data).toBeUndefined();
  });

  it('should give BAD_USER_INPUT for a variable of the wrong type', async () => {
    const result = await graphql({
      body: { query: 'query ($first: Int) { questions(first: $first) { totalCount } }', variables: { first: 'ten' } },
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.body.data).toBeUndefined();
  });

  it('should give a contract code, not BAD_REQUEST, when the body has no query', async () => {
    const result = await graphql({ body: { variables: {} } });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('should give every response its own x-request-id', async () => {
    const [first, second] = await Promise.all([graphql({ query: '{ nope }' }), graphql({ query: '{ nope }' })]);
    expect(first.requestId).toEqual(expect.any(String));
    expect(second.requestId).toEqual(expect.any(String));
    expect(first.requestId).not.toBe(second.requestId);
  });

  it('should mask an unexpected failure as INTERNAL_SERVER_ERROR and keep serving', async () => {
    const { username } = await server.signUp();
    // No API can make the database fail: hide a table from this test's own database for one request.
    await server.db.query('ALTER TABLE tag RENAME TO tag_gone');
    let failed: HttpResult;
    let meanwhile: HttpResult;
    try {
      failed = await graphql({ query: '{ tags { nodes { name } } }' });
      meanwhile = await graphql({ query: `{ user(username: "${username}") { username } }` });
    } finally {
      await server.db.query('ALTER TABLE tag_gone RENAME TO tag');
    }
    expect(failed.body.data).toBeNull();
    expect(failed.body.errors).toHaveLength(1);
    const [error] = failed.body.errors!;
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: failed.requestId });
    for (const secret of ['tag_gone', 'relation', 'SELECT', 'select', '    at ', '.ts:', '.js:']) {
      expect(error.message).not.toContain(secret);
    }
    expect(meanwhile.body).toEqual({ data: { user: { username } } });
    const after = await graphql({ query: '{ tags { nodes { name } } }' });
    expect(after.body).toEqual({ data: { tags: { nodes: [] } } });
  });
});

describe('HTTP endpoints', () => {
  it('should answer 200 on GET /healthz', async () => {
    const response = await fetch(new URL('/healthz', server.url));
    expect(response.status).toBe(200);
  });

  it('should answer 200 on GET /readyz while the database answers', async () => {
    const response = await fetch(new URL('/readyz', server.url));
    expect(response.status).toBe(200);
  });

  it('should run a query sent by GET /graphql with apollo-require-preflight', async () => {
    const result = await graphql({ method: 'GET', query: '{ __typename }' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('should refuse a GET without a CSRF preflight header with a contract code and the request id', async () => {
    const result = await graphql({ method: 'GET', query: '{ __typename }', preflight: false });
    expect(result.status).toBe(400);
    expect(result.body.data).toBeUndefined();
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('should refuse a mutation sent by GET and run nothing', async () => {
    const result = await graphql({
      method: 'GET',
      query:
        'mutation { signUp(input: { username: "Get_Signup", displayName: "Get", password: "password123" }) { token } }',
    });
    expect(result.status).toBe(405);
    expect(result.body.data).toBeUndefined();
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    const rows: unknown[] = await server.db.query(`SELECT id FROM "user" WHERE username = 'Get_Signup'`);
    expect(rows).toEqual([]);
  });
});

describe('GraphQL over WebSocket (graphql-transport-ws)', () => {
  it('should run a query for an anonymous connection', async () => {
    const client = wsClient();
    expect(await results(client, '{ __typename viewer { username } }')).toEqual([
      { data: { __typename: 'Query', viewer: null } },
    ]);
  });

  it('should make the viewer the user of the token in connectionParams', async () => {
    const { token, username } = await server.signUp();
    const client = wsClient({ connectionParams: { authorization: `Bearer ${token}` } });
    expect(await results(client, '{ viewer { username } }')).toEqual([{ data: { viewer: { username } } }]);
  });

  it.each([
    ['a forged token', `Bearer ${randomBytes(32).toString('base64url')}`],
    ['a malformed authorization', 'Basic abc'],
  ])('should close the socket with 4403 for %s', async (_case, authorization) => {
    const closed = new Promise<{ code: number }>((resolve) => {
      wsClient({
        lazy: false,
        connectionParams: { authorization },
        onNonLazyError: () => undefined,
        on: { closed: (event) => resolve(event as { code: number }) },
      });
    });
    expect((await closed).code).toBe(4403);
  });
});
