import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws'; // Node.js only: browsers have their own WebSocket

/** urql with its default exchanges, plus subscriptions over graphql-ws on the same /graphql. */
export function createUrqlLiveClient(url: string, token?: string): Client {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const ws = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: headers,
  });
  return new Client({
    url: `${url}/graphql`,
    fetchOptions: { headers },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
}
