import { expect } from '@jest/globals';
import { buildSchema, type GraphQLFormattedError } from 'graphql';
import { readFileSync } from 'node:fs';
import { QuestionOrNullDocument } from '../../schema/trusted-documents/graphql.js';
import { writeThread, type ThreadIds, type User } from './actions.js';
import { bearer, postGraphql, type TestServer } from './harness.js';

/** The schema the server serves, as committed (a test elsewhere fails when it is stale). */
export const schema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));

/** Three nested `first: 100` connections: a cost of 2,020,200. */
export const nestedConnections =
  '{ questions(first: 100) { nodes { answers(first: 100) { nodes { replies(first: 100) { nodes { id } } } } } } }';

/** 10 levels of fragments, each spreading the one below 10 times: 10⁹ `viewer` fields once expanded. */
export const fanOutBomb = [
  'query FanOut { ...L9 }',
  'fragment L0 on Query { viewer { username } }',
  ...Array.from({ length: 9 }, (_, i) => `fragment L${i + 1} on Query { ${`...L${i} `.repeat(10)}}`),
].join('\n');

/** What a client sees of one HTTP request. */
export interface HttpAnswer {
  status: number;
  data: unknown;
  errors: readonly GraphQLFormattedError[];
}

/** POSTs `body` (sent as is when a string) to /graphql of `url`, signed in with `token` when given. */
export async function postTo(url: string, body: unknown, token?: string): Promise<HttpAnswer> {
  const { status, data, errors } = await postGraphql(`${url}/graphql`, body, bearer(token));
  return { status, data: data ?? null, errors: errors ?? [] };
}

/** Alice asks, Bob answers, Alice replies: the one thread hostile requests aim at. */
export async function targetThread(server: TestServer): Promise<{ alice: User; bob: User; ids: ThreadIds }> {
  const alice = await server.signUp();
  const bob = await server.signUp();
  const ids = await writeThread(server, {
    asker: alice,
    answerer: bob,
    question: { title: 'Comment se protéger des requêtes hostiles ?', body: 'Des idées ?', tags: ['securite'] },
    answer: 'Oui.',
    reply: 'Merci.',
  });
  return { alice, bob, ids };
}

/** Checks that the server still answers a normal query after whatever came before. */
export async function expectStillServing(server: TestServer, ids: ThreadIds): Promise<void> {
  const response = await server.gql(QuestionOrNullDocument, { id: ids.question });
  expect(response.status).toBe(200);
  expect(response.data?.question?.id).toBe(ids.question);
}
