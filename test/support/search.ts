import { beforeAll, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { importDemoThread } from '../../src/demo/import-demo.js';
import { parseSeedThread } from '../../src/demo/seed-thread.js';
import { SearchDocument, type SearchQuery } from '../../schema/trusted-documents/graphql.js';
import type { User } from './actions.js';
import type { TestServer } from './harness.js';
import { startTestServer } from './servers.js';

/*
 * The shared setup of the search suites: one server a file holding the demo thread (its people log
 * in with `demo-password`), an author who writes more, and an anonymous search.
 */

/** The demo thread, as the server imported it. */
export const seed = parseSeedThread(readFileSync(new URL('../../src/demo/seed-thread.txt', import.meta.url), 'utf8'));

/** The file's server, started by `useSearchServer`. */
export let server: TestServer;
export let author: User;

/** Starts `server` on the demo thread and signs `author` up before the file's tests. */
export function useSearchServer(): void {
  beforeAll(async () => {
    server = await startTestServer();
    await importDemoThread(server.db, server.services, { password: 'demo-password' });
    author = await server.signUp('Search_author');
  });
}

/** Searches anonymously; fails the test on any error. */
export async function search(query: string, first = 100, after?: string): Promise<SearchQuery['search']> {
  const response = await server.gql(SearchDocument, { query, first, after });
  expect(response.errors).toBeUndefined();
  return response.data!.search;
}
