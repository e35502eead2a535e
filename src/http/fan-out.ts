import {
  createSourceEventStream,
  execute,
  type GraphQLError,
  parse,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type validate,
} from 'graphql';
import type { Context } from '../context.js';
import { checkSource, queryLimits, type QueryLimits } from './limits.js';
import { setBounded } from '../bounded-map.js';
import { PushQueue, type QueueConsumer } from '../realtime/queue.js';
import { fieldNamesIn } from '../../resolvers/lookahead.js';

/**
 * Whether what `document` selects depends on who asks: it names a field `viewer…` (viewerVote,
 * viewerCanEdit, viewerIsFollowing, and any later `viewerCan…`), the schema's naming for exactly those
 * fields. The whole document counts, fragments included, so a spread cannot hide one.
 */
export function readsViewer(document: DocumentNode): boolean {
  for (const name of fieldNamesIn(document)) if (name.startsWith('viewer')) return true;
  return false;
}

/** A valid document, and the text it was parsed from as {@link documentCache} keeps it. */
interface CheckedDocument {
  document: DocumentNode;
  source: string;
}

/**
 * Parses and validates subscribe payloads, keeping the last `size` valid sources: thousands of
 * watchers sending the same operation share one document (parsed and validated once), and one copy
 * of its text (`source`), instead of each holding its own. Refusals (limits, syntax, validation) are
 * returned as errors of that operation, and not kept.
 * @param size @default 500
 */
export function documentCache(
  schema: GraphQLSchema,
  validateDocument: typeof validate,
  limits: QueryLimits = queryLimits,
  size = 500,
): (source: string) => CheckedDocument | { errors: readonly GraphQLError[] } {
  const valid = new Map<string, CheckedDocument>();
  return (source) => {
    let checked = valid.get(source);
    if (checked === undefined) {
      const refused = checkSource(source, limits);
      if (refused) return { errors: [refused] };
      const document = parse(source, { maxTokens: limits.tokens });
      const errors = validateDocument(schema, document);
      if (errors.length > 0) return { errors };
      checked = { document, source };
    } else valid.delete(source);
    // Most recently used last, so that the first key is the one to evict.
    setBounded(valid, source, checked, size);
    return checked;
  };
}

const closingBrace = Buffer.from('}');
const noop = () => undefined;
const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => value instanceof Promise;

type Results = Map<string, Promise<ExecutionResult> | ExecutionResult>;

/** Where one watcher's results go, written by {@link sharedSubscriptions} rather than by graphql-ws. */
export interface Outlet {
  /** The operation's id, as its client chose it. */
  id: string;
  /**
   * Queues one whole message (UTF-8 JSON) for the socket, and calls `sent()` once the socket took it
   * (or dropped it, being closed): the watcher's next message waits for that, so they go one at a time.
   */
  send(message: Buffer, sent: () => void): void;
}

/**
 * A `subscribe` for graphql-ws that executes each pushed event once per distinct operation,
 * variables and, only when the document {@link readsViewer}, viewer: every watcher asking the same
 * of the same event object gets the same result object, so the event costs the same work (and SQL)
 * for one watcher as for ten thousand. Events are shared by identity: pub/sub hands one object to all
 * of a process's listeners, while an event read back from the outbox (a replay) is executed for its
 * watcher alone. The subscribe resolver itself still runs per watcher: its filter's answers are
 * shared per event (see Context.answerFor), its backlog is the watcher's own.
 *
 * Each event is executed with `contextFor(context, event)`, the first asking watcher's context for
 * that event (see Context.forEvent), so that the reads behind it are shared as well.
 *
 * Given an {@link Outlet} and a {@link PushQueue} of events, it also writes each result itself as a
 * graphql-transport-ws `next` message whose payload, `format(result)` as JSON, is serialized once
 * per result: the stream then yields nothing to graphql-ws, which still sends the errors and the
 * `complete` that end it. Any other stream's results are yielded to graphql-ws.
 */
export function sharedSubscriptions(
  format: (result: ExecutionResult) => unknown,
  contextFor: (context: unknown, event: object) => unknown = (context) => context,
): (args: ExecutionArgs, outlet?: Outlet) => Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
  // Each event's results, per document and then per (operation, variables, viewer); kept as long as the event is.
  const resultsByEvent = new WeakMap<object, WeakMap<DocumentNode, Results>>();
  const executeOnce = (args: ExecutionArgs, event: unknown, key: string) => {
    if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
    let byDocument = resultsByEvent.get(event);
    if (byDocument === undefined) resultsByEvent.set(event, (byDocument = new WeakMap()));
    let results = byDocument.get(args.document);
    if (results === undefined) byDocument.set(args.document, (results = new Map()));
    let result = results.get(key);
    if (result === undefined) {
      const contextValue = contextFor(args.contextValue, event);
      result = execute({ ...args, contextValue, rootValue: event });
      // The result itself once known, so that the watchers after the first take it synchronously.
      if (isPromise(result)) void result.then((settled) => results.set(key, settled), noop);
      results.set(key, result);
    }
    return result;
  };
  // Each result serialized and encoded once, and framed once per operation id: watchers whose clients
  // chose the same id get the very same buffer. Encoding for each of thousands of sockets showed in profiles.
  const payloads = new WeakMap<ExecutionResult, Buffer>();
  const messages = new WeakMap<ExecutionResult, Map<string, Buffer>>();
  const messageOf = (result: ExecutionResult, id: string): Buffer => {
    let byId = messages.get(result);
    if (byId === undefined) messages.set(result, (byId = new Map()));
    let message = byId.get(id);
    if (message === undefined) {
      let payload = payloads.get(result);
      if (payload === undefined) payloads.set(result, (payload = Buffer.from(JSON.stringify(format(result)))));
      message = Buffer.concat([
        Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`),
        payload,
        closingBrace,
      ]);
      byId.set(id, message);
    }
    return message;
  };
  /**
   * One watcher's results, yielded to graphql-ws (or to an event stream). An object rather than an
   * async generator: a generator cannot be returned while it awaits the next event, which would keep
   * an unsubscribed watcher listening until its thread's next event. A class, so that the methods of
   * each of thousands of idle watchers are shared.
   */
  class WatcherResults implements AsyncIterableIterator<ExecutionResult> {
    constructor(
      private readonly source: AsyncIterator<unknown>,
      private readonly args: ExecutionArgs,
      private readonly key: string,
    ) {}

    async next(): Promise<IteratorResult<ExecutionResult>> {
      const step = await this.source.next();
      if (step.done) return { done: true, value: undefined };
      return { done: false, value: await executeOnce(this.args, step.value, this.key) };
    }

    async return(): Promise<IteratorResult<ExecutionResult>> {
      await this.source.return?.();
      return { done: true, value: undefined };
    }

    [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
      return this;
    }
  }
  /**
   * One watcher's results written to its outlet as its events are pushed (see PushQueue.consume):
   * no promise per event, and nothing of an event kept once its message is written. With thousands
   * of watchers, the promises of each waiting for the next event outlived the young generation's
   * collections and were copied, then promoted, on every event. graphql-ws iterates it like any
   * stream: its one `next()` settles when the stream ends.
   */
  class PushedResults implements AsyncIterableIterator<ExecutionResult>, QueueConsumer<unknown> {
    private ending: { resolve(step: IteratorResult<ExecutionResult>): void; reject(error: unknown): void } | null =
      null;
    /** The events' queue calls it back once each message is written. */
    readonly sent = () => this.source.resume();

    constructor(
      private readonly source: PushQueue<unknown>,
      private readonly args: ExecutionArgs,
      private readonly key: string,
      private readonly outlet: Outlet,
    ) {}

    next(): Promise<IteratorResult<ExecutionResult>> {
      return new Promise((resolve, reject) => {
        this.ending = { resolve, reject };
        this.source.consume(this);
      });
    }

    take(event: unknown): void {
      const result = executeOnce(this.args, event, this.key);
      if (!isPromise(result)) return this.write(result);
      result.then(
        (settled) => this.write(settled),
        (error: unknown) => {
          void this.source.return();
          this.end(error);
        },
      );
    }

    end(error?: unknown): void {
      const ending = this.ending;
      this.ending = null;
      if (error === undefined) ending?.resolve({ done: true, value: undefined });
      else ending?.reject(error);
    }

    async return(): Promise<IteratorResult<ExecutionResult>> {
      await this.source.return();
      this.end();
      return { done: true, value: undefined };
    }

    [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
      return this;
    }

    private write(result: ExecutionResult): void {
      this.outlet.send(messageOf(result, this.outlet.id), this.sent);
    }
  }
  // Each watcher's key, kept once for all the watchers that share it (a key held by each costs ~200 bytes).
  const keys = new Map<string, string>();
  return async (args, outlet) => {
    const events = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in events)) return events;
    const viewer = readsViewer(args.document) ? ((args.contextValue as Context).viewer?.userId ?? 'anonymous') : '';
    let key = `${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${viewer}`;
    key = keys.get(key) ?? key;
    keys.delete(key);
    setBounded(keys, key, key, 1000);
    const source = events[Symbol.asyncIterator]();
    if (outlet && source instanceof PushQueue) return new PushedResults(source, args, key, outlet);
    return new WatcherResults(source, args, key);
  };
}
