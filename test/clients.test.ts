import { beforeAll, describe, expect, it } from '@jest/globals';
import { print } from 'graphql';
import { createApolloClient } from './clients/apollo-split.js';
import { subscribeOverSse } from './clients/fetch-sse.js';
import { createGraphQLRequestClient } from './clients/graphql-request.js';
import { createUrqlLiveClient } from './clients/urql-subscriptions.js';
import {
  QuestionsDocument,
  ThreadEventsDocument,
  ViewerDocument,
  type ThreadEventsSubscription,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, type User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { rowIdOf } from './support/ids.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
let author: User;
/** A question with two answers, so that threadEvents from its start replays two events. */
let questionId: string;
beforeAll(async () => {
  server = await startTestServer();
  author = await server.signUp();
  ({ id: questionId } = await ask(server, author));
  await answer(server, author, questionId, 'Première');
  await answer(server, author, questionId, 'Deuxième');
});

/** threadEvents' variables replaying the thread from its start. */
function fromStart() {
  return { questionId, after: Buffer.from(`thread:${rowIdOf(questionId)}:0`).toString('base64url') };
}

function kindsOf(results: Array<{ data?: ThreadEventsSubscription | null }>): string[] {
  return results.map((result) => result.data?.threadEvents.kind ?? 'no data');
}

describe('the clients of docs/clients.md', () => {
  it('should page with Apollo Client over HTTP, merging pages by relayStylePagination', async () => {
    const tag = `apollo-${process.pid}`;
    for (let i = 1; i <= 3; i++) await ask(server, author, { title: `Question paginée ${i}`, tags: [tag] });
    const client = createApolloClient(server.url, author.token);
    const first = await client.query({ query: QuestionsDocument, variables: { tag, first: 2 } });
    const after = first.data?.questions.pageInfo.endCursor;
    // What fetchMore does: the next page from the network (the cache would answer with the merged list).
    await client.query({ query: QuestionsDocument, variables: { tag, first: 2, after }, fetchPolicy: 'network-only' });
    const merged = client.readQuery({ query: QuestionsDocument, variables: { tag, first: 2 } });
    expect(merged?.questions.edges.map((edge) => edge.node.title)).toEqual([
      'Question paginée 3',
      'Question paginée 2',
      'Question paginée 1',
    ]);
    client.stop();
  });

  it('should subscribe with Apollo Client over the WebSocket side of its split link', async () => {
    const client = createApolloClient(server.url);
    const results: Array<{ data?: ThreadEventsSubscription | null }> = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = client.subscribe({ query: ThreadEventsDocument, variables: fromStart() }).subscribe({
        next: (result) => {
          results.push(result as { data?: ThreadEventsSubscription | null });
          if (results.length === 2) {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
    expect(kindsOf(results)).toEqual(['ANSWER_ADDED', 'ANSWER_ADDED']);
    client.stop();
  });

  it("should query with urql's defaults and subscribe through its subscriptionExchange", async () => {
    const client = createUrqlLiveClient(server.url, author.token);
    const viewer = await client.query(ViewerDocument, {}).toPromise();
    expect(viewer.data?.viewer?.username).toBe(author.username);
    const results: Array<{ data?: ThreadEventsSubscription | null }> = [];
    await new Promise<void>((resolve) => {
      const { unsubscribe } = client.subscription(ThreadEventsDocument, fromStart()).subscribe((result) => {
        results.push(result);
        if (results.length === 2) {
          unsubscribe();
          resolve();
        }
      });
    });
    expect(kindsOf(results)).toEqual(['ANSWER_ADDED', 'ANSWER_ADDED']);
  });

  it('should query with graphql-request, the token in its headers', async () => {
    const client = createGraphQLRequestClient(server.url, author.token);
    const { viewer } = await client.request(ViewerDocument);
    expect(viewer?.username).toBe(author.username);
  });

  it('should subscribe over Server-Sent Events with plain fetch', async () => {
    const stop = new AbortController();
    const results: Array<{ data?: ThreadEventsSubscription }> = [];
    const events = subscribeOverSse<ThreadEventsSubscription>(
      server.url,
      { query: print(ThreadEventsDocument), variables: fromStart() },
      { token: author.token, signal: stop.signal },
    );
    for await (const result of events) {
      results.push(result);
      if (results.length === 2) break;
    }
    stop.abort();
    expect(kindsOf(results)).toEqual(['ANSWER_ADDED', 'ANSWER_ADDED']);
  });
});
