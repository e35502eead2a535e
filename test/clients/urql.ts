import { Client, cacheExchange, fetchExchange } from '@urql/core';

/** urql with its default exchanges: queries go out as GET, mutations as POST. */
export function createUrqlClient(url: string, token?: string): Client {
  return new Client({
    url: `${url}/graphql`,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
}
