import { GraphQLClient } from 'graphql-request';

/** graphql-request: one POST per operation, the token in the Authorization header. */
export function createGraphQLRequestClient(url: string, token?: string): GraphQLClient {
  return new GraphQLClient(`${url}/graphql`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}
