import { deliveryLanes, type DeliveryLanes, type HandOut } from './slices.js';

/** A subscription that is listening already, holding what arrives until someone takes it. */
export interface Listening<T> {
  /** Hands everything received so far, then each new item, to `receive`. */
  deliverTo(receive: (item: T) => void): void;
  /** Stops listening; resolves once the source is closed. */
  stop(): Promise<void>;
}

/** Holds the items it is handed until `deliverTo` names who takes them, from then on directly. */
class Holder<T> {
  private held: T[] | null = [];
  private receive: ((item: T) => void) | null = null;

  hand(item: T): void {
    if (this.receive) this.receive(item);
    else this.held?.push(item);
  }

  deliverTo(receive: (item: T) => void): void {
    this.receive = receive;
    const held = this.held ?? [];
    this.held = null;
    for (const item of held) receive(item);
  }
}

/**
 * Starts iterating `source` at once. Pub/sub iterators attach their listener only on the first
 * `next()`; iterating right away means nothing published from now on is missed while the caller
 * still reads the database.
 */
export function listenNow<T>(source: AsyncIterableIterator<T> & { return(): Promise<unknown> }): Listening<T> {
  const holder = new Holder<T>();
  const done = (async () => {
    for await (const item of source) holder.hand(item);
  })();
  return {
    deliverTo: (receive) => holder.deliverTo(receive),
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
 * Items are handed out through `lanes` (see deliveryLanes), in order, so that an event with ten
 * thousand listeners does not hold up everything else. A listener that stops is handed nothing more.
 */
export function sharedListening<K, T>(
  open: (key: K) => AsyncIterableIterator<T> & { return(): Promise<unknown> },
  lanes: Pick<DeliveryLanes, 'handOut'> = deliveryLanes(),
): (key: K) => Listening<T> {
  const sources = new Map<K, SharedSource<T>>();
  return (key) => {
    let shared = sources.get(key);
    if (shared === undefined) {
      const listeners = new Set<SharedListener<T>>();
      const source = listenNow(open(key));
      source.deliverTo((item) => {
        if (listeners.size > 0) lanes.handOut(new HandOutToListeners(item, [...listeners], listeners));
      });
      shared = {
        listeners,
        leave: async (listener) => {
          if (!listeners.delete(listener) || listeners.size > 0) return;
          sources.delete(key);
          await source.stop();
        },
      };
      sources.set(key, shared);
    }
    const listener = new SharedListener(shared);
    shared.listeners.add(listener);
    return listener;
  };
}

/** A source that {@link sharedListening} opened for one key, and its listeners. */
interface SharedSource<T> {
  listeners: Set<SharedListener<T>>;
  /** Lets `listener` go; closes the source when it was the last. */
  leave(listener: SharedListener<T>): Promise<void>;
}

/** One listener of a shared source: an object rather than closures, as thousands of watchers each keep one. */
class SharedListener<T> extends Holder<T> implements Listening<T> {
  constructor(private readonly source: SharedSource<T>) {
    super();
  }

  stop(): Promise<void> {
    return this.source.leave(this);
  }
}

/**
 * One item on its way to the listeners a shared source had when it arrived: an object and an array
 * per item, rather than a closure per listener of every event.
 */
class HandOutToListeners<T> implements HandOut {
  private next = 0;

  constructor(
    private readonly item: T,
    private readonly to: ReadonlyArray<SharedListener<T>>,
    private readonly listening: ReadonlySet<SharedListener<T>>,
  ) {}

  step(): boolean {
    const listener = this.to[this.next++];
    if (this.listening.has(listener)) listener.hand(this.item);
    return this.next < this.to.length;
  }
}
