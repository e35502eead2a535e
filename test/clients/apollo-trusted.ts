import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';

/**
 * Apollo Client for a server that runs only its trusted documents: the persisted-queries link sends
 * each generated document's id (`__meta__.hash`, from codegen's client preset) as its hash, by GET
 * so that a CDN may cache the answers. The text never goes out: the server knows it from its manifest.
 */
export function createTrustedApolloClient(url: string): ApolloClient {
  const persisted = new PersistedQueryLink({
    generateHash: (document) => (document as { __meta__?: { hash: string } }).__meta__?.hash ?? '',
    useGETForHashedQueries: true,
  });
  return new ApolloClient({
    link: persisted.concat(new HttpLink({ uri: `${url}/graphql` })),
    cache: new InMemoryCache(),
  });
}
