import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** The socket under each client, once connected: tests cut it to simulate a lost connection. */
const socketOf = new WeakMap<Client, WebSocket>();

/** The WebSocket URL of /graphql on the server at `httpUrl`. */
export function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/graphql`;
}

/** A graphql-ws client on the server at `httpUrl`, optionally signed in. */
export function wsClient(
  httpUrl: string,
  token?: string,
  options: Partial<Parameters<typeof createClient>[0]> = {},
): Client {
  const client = createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    ...options,
  });
  client.on('connected', (socket) => socketOf.set(client, socket as WebSocket));
  return client;
}

/** Drops the client's TCP connection without a close handshake, as a lost network would. */
export function cutConnection(client: Client): void {
  const socket = socketOf.get(client);
  if (!socket) throw new Error('the client never connected');
  socket.terminate();
}

/** The close code of the client's socket, once it closes. */
export function closeCodeOf(client: Client): Promise<number> {
  return new Promise((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
}

/** A bare WebSocket speaking graphql-transport-ws, for what the graphql-ws client will not do. */
export function rawSocket(httpUrl: string): WebSocket {
  return new WebSocket(wsUrl(httpUrl), 'graphql-transport-ws');
}

/** The close code of a bare socket, once it closes. */
export function socketClosed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

/** The next message a bare socket receives, parsed. */
export function nextMessage(socket: WebSocket): Promise<{ type: string; id?: string; payload?: unknown }> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
}

/** A running subscription: what arrived so far, and ways to wait for more. */
export interface Watch<T> {
  results: Array<FormattedExecutionResult<T, unknown>>;
  /** Resolves once `count` results arrived (rejects after `ms`). */
  next(count: number, ms?: number): Promise<Array<FormattedExecutionResult<T, unknown>>>;
  /** Resolves true once some result satisfies `test`, false if none did within `ms`. */
  until(test: (result: FormattedExecutionResult<T, unknown>) => boolean, ms: number): Promise<boolean>;
  /** Resolves when the server completed the operation or sent an error. */
  done: Promise<unknown>;
  stop(): void;
}

/** What {@link watch} needs of a client: graphql-ws's and graphql-sse's both have it. */
export interface Subscriber {
  subscribe<T>(
    payload: { query: string; variables?: Record<string, unknown> },
    sink: { next(result: FormattedExecutionResult<T, unknown>): void; error(error: unknown): void; complete(): void },
  ): () => void;
}

/** Subscribes with a typed document, collecting every result. */
export function watch<T, V>(client: Subscriber, document: TypedDocumentNode<T, V>, variables: V): Watch<T> {
  const results: Array<FormattedExecutionResult<T, unknown>> = [];
  const waiters: Array<() => void> = [];
  let stop: () => void = () => undefined;
  const done = new Promise((resolve, reject) => {
    stop = client.subscribe<T>(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (result) => {
          results.push(result);
          waiters.splice(0).forEach((wake) => wake());
        },
        error: reject,
        complete: () => resolve(undefined),
      },
    );
  });
  done.catch(() => undefined);
  const until = (test: () => boolean, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      const check = () => {
        if (test()) {
          clearTimeout(timer);
          resolve(true);
        } else waiters.push(check);
      };
      check();
    });
  return {
    results,
    done,
    stop: () => stop(),
    next: async (count, ms = 5000) => {
      if (!(await until(() => results.length >= count, ms))) {
        throw new Error(`got ${results.length} of ${count} results in ${ms} ms: ${JSON.stringify(results)}`);
      }
      return results.slice(0, count);
    },
    until: (test, ms) => until(() => results.some(test), ms),
  };
}

/**
 * Resolves once every watch is live, then empties their results. A subscription gives no sign that it
 * listens, so `probe` makes a write that each watch would receive and returns how to recognise that
 * result (make it unique to this probe); a watch that did not listen yet misses it, so the probe is
 * repeated, `ms` apart, until every watch received the last one. Events arrive in order, so nothing
 * of an earlier probe can still come after that.
 */
export async function whenLive<T>(
  watches: ReadonlyArray<Watch<T>>,
  probe: () => Promise<(data: T) => boolean>,
  { attempts = 20, ms = 300 } = {},
): Promise<void> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const isProbe = await probe();
    const seen = await Promise.all(
      watches.map((w) => w.until((result) => result.data != null && isProbe(result.data), ms)),
    );
    if (seen.every(Boolean)) {
      for (const w of watches) w.results.splice(0);
      return;
    }
  }
  throw new Error(`the subscriptions were not live after ${attempts} probes`);
}

/**
 * The errors a subscription ended with: sent as an `error` message (refused before it ran) or as the
 * errors of its only result (refused by the resolver). Rejects if it ends otherwise within `ms`.
 */
export async function failureOf<T>(w: Watch<T>, ms = 5000): Promise<readonly GraphQLFormattedError[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the subscription did not end in ${ms} ms`)), ms);
  });
  try {
    await Promise.race([w.done, timeout]);
  } catch (error) {
    if (Array.isArray(error)) return error as GraphQLFormattedError[];
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const errors = w.results[0]?.errors;
  if (w.results.length !== 1 || !errors)
    throw new Error(`expected one errored result, got ${JSON.stringify(w.results)}`);
  return errors;
}
