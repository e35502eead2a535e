import { slicedRunner } from './slices.js';

/** A subscription that is listening already, holding what arrives until someone takes it. */
export interface Listening<T> {
  /** Hands everything received so far, then each new item, to `receive`. */
  deliverTo(receive: (item: T) => void): void;
  /** Stops listening; resolves once the source is closed. */
  stop(): Promise<void>;
}

/** Holds the items it is handed until `deliverTo` names who takes them, from then on directly. */
function holder<T>(): { hand(item: T): void; deliverTo(receive: (item: T) => void): void } {
  const held: T[] = [];
  let receive: (item: T) => void = (item) => held.push(item);
  return {
    hand: (item) => receive(item),
    deliverTo: (next) => {
      receive = next;
      for (const item of held.splice(0)) next(item);
    },
  };
}

/**
 * Starts iterating `source` at once. Pub/sub iterators attach their listener only on the first
 * `next()`; iterating right away means nothing published from now on is missed while the caller
 * still reads the database.
 */
export function listenNow<T>(source: AsyncIterableIterator<T> & { return(): Promise<unknown> }): Listening<T> {
  const { hand, deliverTo } = holder<T>();
  const done = (async () => {
    for await (const item of source) hand(item);
  })();
  return {
    deliverTo,
    stop: async () => {
      await source.return();
      await done;
    },
  };
}

/**
 * Listening shared by key: the first listener of a key opens its source (listening at once, as
 * {@link listenNow}), every other listener of that key is handed the same items, and the last one to
 * stop closes it. Thousands of watchers of one thread so cost one pub/sub subscription, not thousands.
 * Each listener holds what arrives until it takes it, and hears nothing from before it started.
 *
 * Items are handed out through `run`, in order: by default in slices of 1 ms of work per turn of
 * the event loop (see slicedRunner), so that an event with ten thousand listeners does not hold up
 * everything else. A listener that stops is handed nothing more.
 */
export function sharedListening<K, T>(
  open: (key: K) => AsyncIterableIterator<T> & { return(): Promise<unknown> },
  run: (task: () => void) => void = slicedRunner({ atOnce: true }),
): (key: K) => Listening<T> {
  const sources = new Map<K, { listeners: Set<(item: T) => void>; source: Listening<T> }>();
  return (key) => {
    let shared = sources.get(key);
    if (shared === undefined) {
      const listeners = new Set<(item: T) => void>();
      const source = listenNow(open(key));
      source.deliverTo((item) => {
        for (const listener of listeners) {
          run(() => {
            if (listeners.has(listener)) listener(item);
          });
        }
      });
      sources.set(key, (shared = { listeners, source }));
    }
    const { listeners, source } = shared;
    const { hand, deliverTo } = holder<T>();
    listeners.add(hand);
    return {
      deliverTo,
      stop: async () => {
        if (!listeners.delete(hand) || listeners.size > 0) return;
        sources.delete(key);
        await source.stop();
      },
    };
  };
}
