import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client on the server at `httpUrl`, optionally signed in. */
export function wsClient(
  httpUrl: string,
  token?: string,
  options: Partial<Parameters<typeof createClient>[0]> = {},
): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    ...options,
  });
}

/** A running subscription: what arrived so far, and ways to wait for more. */
export interface Watch<T> {
  results: Array<FormattedExecutionResult<T, unknown>>;
  /** Resolves once `count` results arrived (rejects after `ms`). */
  next(count: number, ms?: number): Promise<Array<FormattedExecutionResult<T, unknown>>>;
  /** Resolves when the server completed the operation or sent an error. */
  done: Promise<unknown>;
  stop(): void;
}

/** Subscribes with a typed document, collecting every result. */
export function watch<T, V>(client: Client, document: TypedDocumentNode<T, V>, variables: V): Watch<T> {
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
  return {
    results,
    done,
    stop: () => stop(),
    next: (count, ms = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${results.length} of ${count} results in ${ms} ms`)), ms);
        const check = () => {
          if (results.length >= count) {
            clearTimeout(timer);
            resolve(results.slice(0, count));
          } else waiters.push(check);
        };
        check();
      }),
  };
}
