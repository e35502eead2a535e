/**
 * A subscription over Server-Sent Events with nothing but `fetch`: one POST to /graphql/stream
 * (graphql-sse's distinct-connections mode), whose response is a stream of `next` events, each a
 * GraphQL result, and a `complete`. Unlike `EventSource`, `fetch` can send the Authorization header.
 * Stop it with `signal` (an AbortController's).
 */
export async function* subscribeOverSse<T>(
  url: string,
  request: { query: string; variables?: Record<string, unknown> },
  options: { token?: string; signal?: AbortSignal } = {},
): AsyncGenerator<{ data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch(`${url}/graphql/stream`, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify(request),
    signal: options.signal,
  });
  if (!response.ok || !response.body) throw new Error(`${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    // Events end with a blank line; lines starting with ':' keep the connection alive.
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      const lines = buffered.slice(0, end).split('\n');
      buffered = buffered.slice(end + 2);
      const event = lines
        .find((line) => line.startsWith('event:'))
        ?.slice(6)
        .trim();
      const data = lines
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5))
        .join('\n');
      if (event === 'complete') return;
      if (event === 'next') yield JSON.parse(data);
    }
  }
}
