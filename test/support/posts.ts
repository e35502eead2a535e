import { beforeAll, expect } from '@jest/globals';
import {
  PostSnapshotDocument,
  QuestionsDocument,
  type PostSnapshotQuery,
} from '../../schema/trusted-documents/graphql.js';
import type { User } from './actions.js';
import type { TestServer } from './harness.js';
import { startTestServer } from './servers.js';

/*
 * The shared setup of the suites on writing posts: one server a file, three users known by name, and
 * the reads that check what a write left behind.
 */

/** The file's server, started by `usePostsServer`. */
export let server: TestServer;
export let alice: User;
export let bob: User;
export let carol: User;

/** Starts `server` and signs Alice, Bob and Carol up before the file's tests. */
export function usePostsServer(): void {
  beforeAll(async () => {
    server = await startTestServer();
    alice = await server.signUp('Alice_posts');
    bob = await server.signUp('Bob_posts');
    carol = await server.signUp('Carol_posts');
  });
}

/** The `rel` of every link in a rendered body. */
export const REL = 'rel="nofollow noopener noreferrer"';

/** Every start tag in an HTML string (escaped text such as `&lt;img …&gt;` is not a tag). */
export function startTags(html: string): string[] {
  return html.match(/<[a-z][^>]*>/gi) ?? [];
}

/** A post as anyone reads it now; null when absent or deleted. */
export async function snapshot(id: string): Promise<PostSnapshotQuery['node']> {
  const response = await server.gql(PostSnapshotDocument, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.node;
}

export async function questionSnapshot(id: string) {
  const node = await snapshot(id);
  if (node?.__typename !== 'Question') throw new Error(`expected a question, got ${JSON.stringify(node)}`);
  return node;
}

export async function answerSnapshot(id: string) {
  const node = await snapshot(id);
  if (node?.__typename !== 'Answer') throw new Error(`expected an answer, got ${JSON.stringify(node)}`);
  return node;
}

/** The number of live questions and their ids, newest first. */
export async function questionIds(): Promise<{ totalCount: number; ids: string[] }> {
  const response = await server.gql(QuestionsDocument, { first: 100, orderBy: 'NEWEST' });
  expect(response.errors).toBeUndefined();
  const { totalCount, edges } = response.data!.questions;
  return { totalCount, ids: edges.map((edge) => edge.node.id) };
}
