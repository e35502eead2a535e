/** A subscription that is listening already, holding what arrives until someone takes it. */
export interface Listening<T> {
  /** Hands everything received so far, then each new item, to `receive`. */
  deliverTo(receive: (item: T) => void): void;
  /** Stops listening; resolves once the source is closed. */
  stop(): Promise<void>;
}

/**
 * Starts iterating `source` at once. Pub/sub iterators attach their listener only on the first
 * `next()`; iterating right away means nothing published from now on is missed while the caller
 * still reads the database.
 */
export function listenNow<T>(source: AsyncIterableIterator<T> & { return(): Promise<unknown> }): Listening<T> {
  const held: T[] = [];
  let receive: (item: T) => void = (item) => held.push(item);
  const done = (async () => {
    for await (const item of source) receive(item);
  })();
  return {
    deliverTo: (next) => {
      receive = next;
      for (const item of held.splice(0)) next(item);
    },
    stop: async () => {
      await source.return();
      await done;
    },
  };
}
