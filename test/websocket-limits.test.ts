import { beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphQLFormattedError } from 'graphql';
import type { Client } from 'graphql-ws';
import { QuestionOrNullDocument } from '../schema/trusted-documents/graphql.js';
import type { ThreadIds } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { fanOutBomb, nestedConnections, targetThread } from './support/hostile.js';
import { serve, startTestServer, wsClient } from './support/servers.js';
import { watch } from './support/ws.js';

let server: TestServer;
let ids: ThreadIds;
/** A second server on the same database with NODE_ENV=production. */
let production: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  server = await startTestServer();
  // The default limits, as production has them (the harness raises some for tests).
  production = await serve(server.db, { nodeEnv: 'production', limits: 'default' });
  ({ ids } = await targetThread(server));
});

describe('limits over WebSocket', () => {
  /** A graphql-ws client on `url`, disposed of after the file. */
  function socketClient(url = server.url): Client {
    return wsClient(url);
  }

  /** The errors the server answers `query` (sent as written, comments included) with; rejects if it runs. */
  function refusalOf(client: Client, query: string): Promise<readonly GraphQLFormattedError[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer in 5 s: the operation is running')), 5000);
      client.subscribe(
        { query },
        {
          next: (result) => reject(new Error(`the operation ran: ${JSON.stringify(result)}`)),
          error: (error) => {
            clearTimeout(timer);
            if (Array.isArray(error)) resolve(error);
            else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          },
          complete: () => reject(new Error('the operation completed without an error')),
        },
      );
    });
  }

  /** The client is still usable: a normal query over the same socket gets its answer. */
  async function expectSocketServing(client: Client): Promise<void> {
    const result = await watch(client, QuestionOrNullDocument, { id: ids.question }).next(1);
    expect(result[0].data?.question?.id).toBe(ids.question);
  }

  it('should refuse a depth bomb subscription with QUERY_TOO_COMPLEX before it runs, and keep the socket', async () => {
    const client = socketClient();
    const pairs = 'acceptedAnswer { question { '.repeat(4);
    const query = `subscription { threadEvents(questionId: "${ids.question}") { post { ... on Answer { question { ${pairs}id${' } }'.repeat(4)} } } } } }`;
    expect((await refusalOf(client, query)).map((error) => error.extensions)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 10, depth: 12 },
    ]);
    await expectSocketServing(client);
  });

  it.each([
    [
      'three nested first: 100 connections',
      nestedConnections,
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', cost: 2_020_200 },
    ],
    ['40 aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`, { limit: 'aliases' }],
    ['21 directives', `{ ${'__typename @skip(if: false) '.repeat(21)}}`, { limit: 'directives', directives: 21 }],
    ['2,004 tokens', `{ viewer { ${'id '.repeat(1999)}} }`, { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'tokens' }],
    ['15,019 characters', `{ __typename }\n#${'x'.repeat(15_003)}`, { limit: 'documentChars', documentChars: 15_019 }],
    ['a fragment fan-out bomb', fanOutBomb, { code: 'QUERY_TOO_COMPLEX', limit: 'cost', cost: 1_000_000_000 }],
    [
      'a fragment cycle',
      '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      { code: 'GRAPHQL_VALIDATION_FAILED' },
    ],
    ['a syntax error', '{ question(id: ) { id }', { code: 'GRAPHQL_PARSE_FAILED' }],
  ])('should refuse %s over a socket as over HTTP, and keep the socket', async (_name, query, extensions) => {
    const client = socketClient();
    const errors = await refusalOf(client, query);
    expect(errors).toHaveLength(1);
    expect(errors[0].extensions).toMatchObject(extensions);
    await expectSocketServing(client);
  });

  it('should give "Did you mean" suggestions over a socket outside production only', async () => {
    const typo = '{ questoins { totalCount } }';
    const [test, prod] = [
      await refusalOf(socketClient(), typo),
      await refusalOf(socketClient(production.server.url), typo),
    ];
    expect(test.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(test[0].message).toMatch(/Did you mean "questions"/);
    expect(prod.map((error) => [error.message, error.extensions?.code])).toEqual([
      ['Cannot query field "questoins" on type "Query".', 'GRAPHQL_VALIDATION_FAILED'],
    ]);
  });
});
