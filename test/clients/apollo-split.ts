import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws'; // Node.js only: browsers have their own WebSocket

/**
 * Apollo Client with queries and mutations over HTTP and subscriptions over WebSocket, both on
 * /graphql. `relayStylePagination` merges each page fetched with `fetchMore({ variables: { after } })`
 * into one list of `questions` (per tag and order) and of each question's `answers`.
 */
export function createApolloClient(url: string, token?: string): ApolloClient {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const http = new HttpLink({ uri: `${url}/graphql`, headers });
  const ws = new GraphQLWsLink(
    createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: headers }),
  );
  return new ApolloClient({
    link: ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { questions: relayStylePagination(['tag', 'orderBy']) } },
        Question: { fields: { answers: relayStylePagination(['orderBy']) } },
      },
    }),
  });
}
