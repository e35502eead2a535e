import { usernameOf, shape } from './dataset.js';

/** The thread page, as the web client asks for it. */
export const threadPageQuery = `query ThreadPage($id: ID!) { question(id: $id) { id title body createdAt score viewerVote author { username displayName } tags { name } answers(first: 10, orderBy: TOP) { nodes { id body score createdAt viewerVote author { username displayName } replies(first: 5) { nodes { id body score viewerVote author { username displayName } } } } } } }`;

export const voteMutation = `mutation Vote($input: VoteInput!) { vote(input: $input) { id score } }`;

const logInMutation = `mutation LogIn($input: LogInInput!) { logIn(input: $input) { token } }`;

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** Global ids: base64url of `Type:rowId`. */
export const globalId = (type: 'Question' | 'Answer' | 'Reply', rowId: number): string =>
  Buffer.from(`${type}:${rowId}`).toString('base64url');

/** The GraphQL type of each kind of post row. */
export const typeOf = { question: 'Question', answer: 'Answer', reply: 'Reply' } as const;

/** POSTs one operation to `url`, with `Authorization: Bearer <token>` when given. */
export async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Signs users in through the `logIn` mutation, `concurrency` at a time; user id → token. */
export async function logIn(url: string, userIds: readonly number[], concurrency = 8): Promise<Map<number, string>> {
  const tokens = new Map<number, string>();
  let next = 0;
  const worker = async () => {
    while (next < userIds.length) {
      const userId = userIds[next++];
      const { data, errors } = await gql<{ logIn: { token: string } }>(url, logInMutation, {
        input: { username: usernameOf(userId), password: shape.password },
      });
      if (!data?.logIn) throw new Error(`logIn as ${usernameOf(userId)} failed: ${JSON.stringify(errors)}`);
      tokens.set(userId, data.logIn.token);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tokens;
}

/** The error codes in a response body, or [] when it has none. */
export function errorCodes(body: string): string[] {
  if (!body.includes('"errors"')) return [];
  try {
    const { errors } = JSON.parse(body) as GraphQLResponse<unknown>;
    return (errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
  } catch {
    return ['UNPARSABLE'];
  }
}

/** p50, p99 and max of `values` (milliseconds), rounded to 0.1. */
export function percentiles(values: readonly number[]): { p50: number; p99: number; max: number } {
  if (values.length === 0) return { p50: NaN, p99: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]) };
}
