import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Client as UrqlClient, fetchExchange, subscriptionExchange } from '@urql/core';
import { OperationTypeNode, print } from 'graphql';
import { createClient, type ClientOptions } from 'graphql-ws';
import { cursorExpired, resumingClient } from '../../src/client/resume.js';
import {
  ThreadEventsDocument,
  ThreadPageDocument,
  type ThreadEventsSubscription,
} from '../../schema/trusted-documents/graphql.js';

/**
 * The client code docs/live-threads.md shows, word for word between each `snippet:` line and the
 * next `end` line (test/resume.test.ts checks that the page holds it).
 */

export type ThreadEvent = ThreadEventsSubscription['threadEvents'];

/** What a watcher does with what arrives. */
export interface Handlers {
  event(event: ThreadEvent): void;
  /** The cursor is older than the events kept: refetch the page and watch again from its eventCursor. */
  expired(): void;
  error(error: unknown): void;
}

// snippet: graphql-ws
export function watchWithGraphqlWs(options: ClientOptions, page: { id: string; eventCursor: string }, on: Handlers) {
  const client = resumingClient(createClient({ ...options, retryAttempts: Infinity, shouldRetry: () => true }));
  const stop = client.subscribe<ThreadEventsSubscription>(
    { query: print(ThreadEventsDocument), variables: { questionId: page.id, after: page.eventCursor } },
    {
      next: ({ data, errors }) => (cursorExpired(errors) ? on.expired() : data && on.event(data.threadEvents)),
      error: on.error,
      complete: () => undefined,
    },
  );
  return () => (stop(), client.dispose());
}
// end

// snippet: Apollo Client
export function watchWithApollo(httpUrl: string, ws: ClientOptions, questionId: string, on: Handlers) {
  const wsLink = new GraphQLWsLink(
    resumingClient(createClient({ ...ws, retryAttempts: Infinity, shouldRetry: () => true })),
  );
  const client = new ApolloClient({
    link: split((op) => op.operationType === OperationTypeNode.SUBSCRIPTION, wsLink, new HttpLink({ uri: httpUrl })),
    cache: new InMemoryCache(),
  });
  const page = client.watchQuery({ query: ThreadPageDocument, variables: { id: questionId } });
  let watching: (() => void) | undefined;
  const rendering = page.subscribe(({ data }) => {
    if (watching || !data?.question) return;
    watching = page.subscribeToMore({
      document: ThreadEventsDocument,
      variables: { questionId, after: data.question.eventCursor },
      updateQuery: (_page, { subscriptionData }) => on.event(subscriptionData.data.threadEvents), // or a new page
      onError: (error) =>
        cursorExpired(CombinedGraphQLErrors.is(error) && error.errors) ? on.expired() : on.error(error),
    });
  });
  return () => (watching?.(), rendering.unsubscribe(), client.stop());
}
// end

// snippet: urql
export function watchWithUrql(
  httpUrl: string,
  ws: ClientOptions,
  page: { id: string; eventCursor: string },
  on: Handlers,
) {
  const wsClient = resumingClient(createClient({ ...ws, retryAttempts: Infinity, shouldRetry: () => true }));
  const client = new UrqlClient({
    url: httpUrl,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: wsClient.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  const { unsubscribe } = client
    .subscription(ThreadEventsDocument, { questionId: page.id, after: page.eventCursor })
    .subscribe(({ data, error }) =>
      cursorExpired(error?.graphQLErrors)
        ? on.expired()
        : error
          ? on.error(error)
          : data && on.event(data.threadEvents),
    );
  return () => (unsubscribe(), wsClient.dispose());
}
// end
