import { describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  parse,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLObjectType,
} from 'graphql';
import { documentCache, readsViewer, sharedSubscriptions, type Outlet } from '../src/http/fan-out.js';
import { sharedListening } from '../src/realtime/listen.js';
import { PushQueue } from '../src/realtime/queue.js';

/** A thread whose `ticked` events carry a score; counts how often each field is resolved. */
function tickSchema() {
  const schema = buildSchema(`
    type Tick { score: Int! viewerVote: Int }
    type Query { ok: Boolean }
    type Subscription { ticked(thread: Int!): Tick! }
  `);
  const resolved = { score: 0, viewerVote: 0 };
  const watchers: Array<(event: { score: number }) => void> = [];
  const fields = (schema.getType('Tick') as GraphQLObjectType).getFields();
  fields.score.resolve = (event: { score: number }) => {
    resolved.score += 1;
    return event.score;
  };
  fields.viewerVote.resolve = (_event, _args, context: { viewer: { userId: number } | null }) => {
    resolved.viewerVote += 1;
    return context.viewer?.userId ?? null;
  };
  const ticked = schema.getSubscriptionType()!.getFields().ticked;
  ticked.subscribe = () => {
    const events = new PushQueue<{ score: number }>(() => undefined);
    watchers.push((event) => events.push(event));
    return events;
  };
  ticked.resolve = (event: unknown) => event;
  /** Pushes one event object to every watcher, as pub/sub does. */
  const publish = (event: { score: number }) => watchers.forEach((deliver) => deliver(event));
  return { schema, resolved, publish };
}

const subscribeShared = sharedSubscriptions((result) => result);

async function subscribed(args: ExecutionArgs, subscribe = subscribeShared, outlet?: Outlet) {
  const results = await subscribe(args, outlet);
  if (!(Symbol.asyncIterator in results)) throw new Error(JSON.stringify(results));
  return results[Symbol.asyncIterator]();
}

describe('subscribeShared', () => {
  it('should resolve an event once for every watcher of the same operation and variables, and give each the same result', async () => {
    const { schema, resolved, publish } = tickSchema();
    const document = parse('subscription Watch($thread: Int!) { ticked(thread: $thread) { score } }');
    const watchers = await Promise.all(
      [1, 2, 3, null].map((userId) =>
        subscribed({
          schema,
          document,
          variableValues: { thread: 7 },
          contextValue: { viewer: userId === null ? null : { userId } },
        }),
      ),
    );
    const pending = watchers.map((watcher) => watcher.next());
    publish({ score: 5 });
    const results = await Promise.all(pending);
    expect(results.map((step) => step.value)).toEqual(Array(4).fill({ data: { ticked: { score: 5 } } }));
    expect(new Set(results.map((step) => step.value)).size).toBe(1);
    expect(resolved.score).toBe(1);
  });

  it('should resolve a selection that reads the viewer once per viewer, never handing one viewer another one’s result', async () => {
    const { schema, resolved, publish } = tickSchema();
    const document = parse('subscription { ticked(thread: 1) { ...Mine } } fragment Mine on Tick { score viewerVote }');
    const viewers = [1, 1, 2, null, null];
    const watchers = await Promise.all(
      viewers.map((userId) =>
        subscribed({ schema, document, contextValue: { viewer: userId === null ? null : { userId } } }),
      ),
    );
    const pending = watchers.map((watcher) => watcher.next());
    publish({ score: 2 });
    const results = await Promise.all(pending);
    expect(results.map((step) => step.value?.data?.ticked)).toEqual(
      viewers.map((viewerVote) => ({ score: 2, viewerVote })),
    );
    expect(resolved.viewerVote).toBe(3);
  });

  it('should resolve separately for other variables, and for each distinct event object', async () => {
    const { schema, resolved, publish } = tickSchema();
    const document = parse('subscription Watch($thread: Int!) { ticked(thread: $thread) { score } }');
    const watchers = await Promise.all(
      [1, 2, 2].map((thread) =>
        subscribed({ schema, document, variableValues: { thread }, contextValue: { viewer: null } }),
      ),
    );
    for (const score of [1, 2]) {
      const pending = watchers.map((watcher) => watcher.next());
      publish({ score });
      await Promise.all(pending);
    }
    expect(resolved.score).toBe(4);
  });

  it('should write each result to the outlets as one `next` message, serialized once for every watcher', async () => {
    const { schema, resolved, publish } = tickSchema();
    const formatted: ExecutionResult[] = [];
    const subscribe = sharedSubscriptions((result) => {
      formatted.push(result);
      return result;
    });
    const document = parse('subscription { ticked(thread: 1) { score } }');
    const sent: string[] = [];
    let allSent: () => void = () => undefined;
    const written = new Promise<void>((resolve) => (allSent = resolve));
    const send = (message: Buffer, taken: () => void) => {
      if (sent.push(message.toString()) === 3) allSent();
      taken();
    };
    const watchers = await Promise.all(
      ['1', '1', 'b'].map((id) =>
        subscribed({ schema, document, contextValue: { viewer: null } }, subscribe, { id, send }),
      ),
    );
    // Each watcher writes its results rather than yielding them.
    for (const watcher of watchers) void watcher.next();
    publish({ score: 4 });
    await written;
    const payload = '{"data":{"ticked":{"score":4}}}';
    expect(sent).toEqual([
      `{"id":"1","type":"next","payload":${payload}}`,
      `{"id":"1","type":"next","payload":${payload}}`,
      `{"id":"b","type":"next","payload":${payload}}`,
    ]);
    expect(formatted).toHaveLength(1);
    expect(resolved.score).toBe(1);
  });

  it("should write a watcher's messages one at a time, and end its stream only once the last one was taken", async () => {
    const schema = buildSchema('type Query { ok: Boolean } type Subscription { ticked: Int }');
    const queues: Array<PushQueue<number>> = [];
    const ticked = schema.getSubscriptionType()!.getFields().ticked;
    ticked.subscribe = () => {
      const queue = new PushQueue<number>(() => undefined);
      queues.push(queue);
      return queue;
    };
    ticked.resolve = (event: unknown) => event;
    const sent: string[] = [];
    const taken: Array<() => void> = [];
    const outlet: Outlet = {
      id: '1',
      send: (message, whenTaken) => {
        sent.push(message.toString());
        taken.push(whenTaken);
      },
    };
    const watcher = await subscribed(
      { schema, document: parse('subscription { ticked }'), contextValue: {} },
      subscribeShared,
      outlet,
    );
    let ended = false;
    const end = watcher.next().then((step) => (ended = step.done === true));
    const [queue] = queues;
    queue.push(1);
    queue.push(2);
    queue.stop();
    await new Promise((settle) => setImmediate(settle));
    expect(sent).toEqual(['{"id":"1","type":"next","payload":{"data":{"ticked":1}}}']);
    taken.shift()!();
    await new Promise((settle) => setImmediate(settle));
    expect(sent).toHaveLength(2);
    expect(ended).toBe(false);
    taken.shift()!();
    await end;
    expect(ended).toBe(true);
  });

  it('should end a written stream when its watcher leaves, and reject it when its source fails', async () => {
    let stopped = false;
    const schema = buildSchema('type Query { ok: Boolean } type Subscription { ticked: Int }');
    const queues: Array<PushQueue<number>> = [];
    schema.getSubscriptionType()!.getFields().ticked.subscribe = () => {
      const queue = new PushQueue<number>(() => (stopped = true));
      queues.push(queue);
      return queue;
    };
    const outlet: Outlet = { id: '1', send: (_message, whenTaken) => whenTaken() };
    const args = { schema, document: parse('subscription { ticked }'), contextValue: {} };
    const leaving = await subscribed(args, subscribeShared, outlet);
    const waiting = leaving.next();
    await leaving.return?.();
    expect(stopped).toBe(true);
    expect(await waiting).toEqual({ done: true, value: undefined });

    const failing = await subscribed(args, subscribeShared, outlet);
    const failed = failing.next();
    queues[1].stop(new Error('the thread is gone'));
    await expect(failed).rejects.toThrow('the thread is gone');
  });

  it('should stop listening at once when the watcher leaves while waiting for an event', async () => {
    let stopped = false;
    const schema = buildSchema('type Query { ok: Boolean } type Subscription { ticked: Int }');
    schema.getSubscriptionType()!.getFields().ticked.subscribe = () =>
      new PushQueue<number>(() => {
        stopped = true;
      });
    const watcher = await subscribed({ schema, document: parse('subscription { ticked }'), contextValue: {} });
    const waiting = watcher.next();
    await watcher.return?.();
    expect(stopped).toBe(true);
    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});

describe('readsViewer', () => {
  it('should find a viewer… field anywhere in the document, fragments and aliases included', () => {
    expect(readsViewer(parse('subscription { s { post { id score } } }'))).toBe(false);
    expect(readsViewer(parse('subscription { s { post { mine: viewerVote } } }'))).toBe(true);
    expect(readsViewer(parse('subscription { s { ...F } } fragment F on P { viewerCanEdit }'))).toBe(true);
  });
});

describe('documentCache', () => {
  const schema = buildSchema('type Query { ok: Boolean } type Subscription { ticked: Int }');

  /** The document `documentOf` gives for `source`, which must be valid. */
  function documentFrom(documentOf: ReturnType<typeof documentCache>, source: string) {
    const checked = documentOf(source);
    if ('errors' in checked) throw new Error(JSON.stringify(checked.errors));
    return checked.document;
  }

  it('should give every watcher sending the same source the same parsed document', () => {
    const documentOf = documentCache(schema, validate);
    const first = documentFrom(documentOf, 'subscription { ticked }');
    expect(documentFrom(documentOf, 'subscription { ticked }')).toBe(first);
    expect(documentFrom(documentOf, 'subscription  { ticked }')).not.toBe(first);
  });

  it('should refuse a source that does not parse (GRAPHQL_PARSE_FAILED) or is not valid, as errors of the operation', () => {
    const documentOf = documentCache(schema, validate);
    const codesOf = (source: string) => {
      const checked = documentOf(source);
      return 'errors' in checked ? checked.errors.map((error) => error.extensions.code ?? null) : [];
    };
    expect(codesOf('subscription {')).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(codesOf('subscription { nope }')).toEqual([null]);
  });

  it('should keep only the last `size` sources, most recently used last', () => {
    const documentOf = documentCache(schema, validate, undefined, 2);
    const a = documentFrom(documentOf, 'subscription A { ticked }');
    const b = documentFrom(documentOf, 'subscription B { ticked }');
    expect(documentFrom(documentOf, 'subscription A { ticked }')).toBe(a);
    documentFrom(documentOf, 'subscription C { ticked }');
    expect(documentFrom(documentOf, 'subscription A { ticked }')).toBe(a);
    expect(documentFrom(documentOf, 'subscription B { ticked }')).not.toBe(b);
  });
});

describe('sharedListening', () => {
  it('should open one source per key whatever its listeners, hand each of them every item, and close it with the last', async () => {
    const opened: string[] = [];
    const closed: string[] = [];
    const publishers = new Map<string, (item: number) => void>();
    const listen = sharedListening((key: string) => {
      opened.push(key);
      const items = new PushQueue<number>(() => closed.push(key));
      publishers.set(key, (item) => items.push(item));
      return items;
    });
    const listeners = [listen('a'), listen('a'), listen('a'), listen('b')];
    const received = listeners.map(() => [] as number[]);
    listeners.forEach((listener, i) => listener.deliverTo((item) => received[i].push(item)));
    publishers.get('a')!(1);
    publishers.get('b')!(2);
    await new Promise((settle) => setImmediate(settle));
    expect(opened).toEqual(['a', 'b']);
    expect(received).toEqual([[1], [1], [1], [2]]);

    await listeners[0].stop();
    await listeners[1].stop();
    expect(closed).toEqual([]);
    await listeners[2].stop();
    expect(closed).toEqual(['a']);
  });
});
