/**
 * One watcher's pushed items, waiting in an array until its consumer asks: a push costs an array
 * slot, or one resolution when the consumer is already waiting. A Repeater cost a promise and its
 * bookkeeping per push, for each of thousands of watchers of every event.
 */
export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | null = null;
  private failure: { error: unknown } | null = null;
  private ended = false;

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

  push(item: T): void {
    if (this.ended) return;
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
    if (this.waiting !== null && this.items.length === 0) {
      const { resolve, reject } = this.waiting;
      this.waiting = null;
      if (this.failure) reject(this.failure.error);
      else resolve({ value: undefined, done: true });
    }
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
    this.finish();
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
