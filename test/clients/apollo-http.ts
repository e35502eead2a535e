import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createHash } from 'node:crypto';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Apollo Client over HTTP with automatic persisted queries: each document goes out as its hash,
 * and in full only the first time the server does not know it (PERSISTED_QUERY_NOT_FOUND).
 * `useGETForHashedQueries` lets a CDN cache those hash-only GETs.
 */
export function createApolloHttpClient(url: string, useGETForHashedQueries = false): ApolloClient {
  const persisted = new PersistedQueryLink({ sha256, useGETForHashedQueries });
  return new ApolloClient({
    link: persisted.concat(new HttpLink({ uri: `${url}/graphql` })),
    cache: new InMemoryCache(),
  });
}
