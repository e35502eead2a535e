/** Who takes a {@link PushQueue}'s items as they are pushed, rather than asking for each one. */
export interface QueueConsumer<T> {
  /** The next item. The queue holds the ones after it until the consumer calls `resume()`. */
  take(item: T): void;
  /** The stream ended, with the producer's `error` if it failed; called once nothing waits. */
  end(error?: unknown): void;
}

/**
 * One watcher's pushed items, waiting in an array until its consumer asks: a push costs an array
 * slot, or one resolution when the consumer is already waiting. A Repeater cost a promise and its
 * bookkeeping per push, for each of thousands of watchers of every event.
 *
 * A consumer can also {@link consume} the queue: each item is then handed over as it is pushed, with
 * no promise at all, which is how a socket's watchers take their events.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | null = null;
  private failure: { error: unknown } | null = null;
  private ended = false;
  private consumer: QueueConsumer<T> | null = null;
  /** The consumer has an item and has not resumed yet. */
  private busy = false;

  /**
   * @param onEnd called once, when the stream ends from either side
   * @param stale asked once of each item, as the consumer takes it: true drops it (something newer replaces it)
   */
  constructor(
    private readonly onEnd: () => void,
    private readonly stale: (item: T) => boolean = () => false,
  ) {}

  /** How many items wait for the consumer. */
  get length(): number {
    return this.items.length;
  }

  /** Whether an item pushed now goes to the consumer at once, nothing being ahead of it. */
  get takesAtOnce(): boolean {
    return this.items.length === 0 && (this.waiting !== null || (this.consumer !== null && !this.busy));
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.consumer !== null && !this.busy && this.items.length === 0) {
      if (!this.stale(item)) this.hand(item);
      return;
    }
    if (this.waiting === null) {
      this.items.push(item);
      return;
    }
    if (this.stale(item)) return;
    const { resolve } = this.waiting;
    this.waiting = null;
    resolve({ value: item, done: false });
  }

  /** Ends the stream from the producer's side: the consumer gets what waits, then the error or the end. */
  stop(error?: unknown): void {
    if (this.ended) return;
    if (error !== undefined) this.failure = { error };
    this.finish();
    if (this.consumer !== null) {
      if (!this.busy) this.resume();
      return;
    }
    if (this.waiting !== null && this.items.length === 0) {
      const { resolve, reject } = this.waiting;
      this.waiting = null;
      if (this.failure) reject(this.failure.error);
      else resolve({ value: undefined, done: true });
    }
  }

  /** Hands every item to `consumer` from now on, those waiting first, instead of through `next()`. */
  consume(consumer: QueueConsumer<T>): void {
    this.consumer = consumer;
    this.resume();
  }

  /** The consumer is done with its item: the next one, or the end, comes now if it is there. */
  resume(): void {
    if (this.consumer === null) return;
    this.busy = false;
    while (this.items.length > 0) {
      const item = this.items.shift() as T;
      if (this.stale(item)) continue;
      this.hand(item);
      // Still busy with it, or it resumed (and so took the rest) on its own.
      if (this.busy || this.consumer === null) return;
    }
    const consumer = this.consumer;
    if (!this.ended || consumer === null) return;
    this.consumer = null;
    const failure = this.failure;
    this.failure = null;
    if (failure) consumer.end(failure.error);
    else consumer.end();
  }

  next(): Promise<IteratorResult<T>> {
    while (this.items.length > 0) {
      const item = this.items.shift() as T;
      if (!this.stale(item)) return Promise.resolve({ value: item, done: false });
    }
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The consumer leaves: what waits is dropped. */
  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.failure = null;
    this.consumer = null;
    this.finish();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private hand(item: T): void {
    this.busy = true;
    (this.consumer as QueueConsumer<T>).take(item);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
