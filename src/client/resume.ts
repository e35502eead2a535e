import type { FormattedExecutionResult as ExecutionResult } from 'graphql';
import type { Client, Sink, SubscribePayload } from 'graphql-ws';

/**
 * For clients of the service: thread watchers that resume from the last event they saw after any
 * reconnect. It depends on graphql-ws alone, so a client application can copy it as it is.
 *
 * The graphql-ws client re-sends a subscription's payload, serialised anew, each time it reconnects
 * (`createClient` with `retryAttempts`), and Apollo Client's GraphQLWsLink and urql's
 * subscriptionExchange subscribe through that client. A payload whose `after` is kept at the last
 * cursor received therefore resumes exactly where the watcher stopped: every event once, in order.
 */

/** What a refused subscription reports: graphql-ws's error sink value, or the errors of a result. */
type Errors = readonly { extensions?: Record<string, unknown> }[] | undefined | unknown;

/**
 * Whether `errors` refuse a cursor as older than the events the service keeps (BAD_USER_INPUT, rule
 * `cursorExpired`): the client should refetch the thread page and watch again from its `eventCursor`.
 * Takes a result's `errors`, Apollo Client's `CombinedGraphQLErrors.errors` or urql's `graphQLErrors`.
 */
export function cursorExpired(errors: Errors): boolean {
  return (
    Array.isArray(errors) &&
    errors.some((error: { extensions?: Record<string, unknown> } | null) => error?.extensions?.rule === 'cursorExpired')
  );
}

/** The cursor of the event a `threadEvents` result carries, when it selects `cursor` (unaliased). */
function cursorOf(result: ExecutionResult<Record<string, unknown>, unknown>): string | undefined {
  const event = result.data?.threadEvents as { cursor?: unknown } | null | undefined;
  return typeof event?.cursor === 'string' ? event.cursor : undefined;
}

/**
 * `client`, but each `threadEvents` subscription made through it keeps its `after` variable at the
 * cursor of the last event it delivered, so that the subscription the client re-sends on reconnect
 * resumes from there. The document must select `cursor` on `threadEvents` and pass `$after`; other
 * operations pass through unchanged. Start from the page's `Question.eventCursor` to miss nothing
 * between the page and the stream. A refused cursor still ends the subscription: see
 * {@link cursorExpired}.
 */
export function resumingClient(client: Client): Client {
  const subscribe = <Data = Record<string, unknown>, Extensions = unknown>(
    payload: SubscribePayload,
    sink: Sink<ExecutionResult<Data, Extensions>>,
  ): (() => void) => {
    if (payload.variables == null || !('after' in payload.variables)) return client.subscribe(payload, sink);
    // Our own copy: the caller's variables may be shared, or rebuilt by a link for each request.
    const variables = { ...payload.variables };
    return client.subscribe<Data, Extensions>(
      { ...payload, variables },
      {
        next: (result) => {
          const cursor = cursorOf(result as ExecutionResult<Record<string, unknown>, unknown>);
          if (cursor !== undefined) variables.after = cursor;
          sink.next(result);
        },
        error: (error) => sink.error(error),
        complete: () => sink.complete(),
      },
    );
  };
  return {
    on: client.on,
    dispose: client.dispose,
    terminate: client.terminate,
    subscribe,
    iterate: (payload) => iterateOver(subscribe, payload),
  };
}

/** {@link Client.iterate} over a subscribe function. */
function iterateOver<Data, Extensions>(
  subscribe: (payload: SubscribePayload, sink: Sink<ExecutionResult<Data, Extensions>>) => () => void,
  payload: SubscribePayload,
): AsyncIterableIterator<ExecutionResult<Data, Extensions>> {
  const pending: Array<ExecutionResult<Data, Extensions>> = [];
  let ended: { error?: unknown } | undefined;
  let wake = () => undefined as void;
  const dispose = subscribe(payload, {
    next: (result) => (pending.push(result), wake()),
    error: (error) => ((ended = { error }), wake()),
    complete: () => ((ended = {}), wake()),
  });
  const iterator: AsyncIterableIterator<ExecutionResult<Data, Extensions>> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      while (pending.length === 0 && ended === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (pending.length > 0) return { done: false, value: pending.shift() as ExecutionResult<Data, Extensions> };
      if (ended?.error !== undefined) throw ended.error;
      return { done: true, value: undefined };
    },
    return: async () => {
      dispose();
      return { done: true, value: undefined };
    },
  };
  return iterator;
}
