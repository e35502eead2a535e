import type { PubSubEvent, PubSubEventTarget } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import pg from 'pg';
import type { Topics } from './topics.js';

/** The one channel every process listens on; the topic travels in the payload. */
const channel = 'thread_api_pubsub';

/** How long to wait before listening again after the listening connection was lost. */
const reconnectMs = 1000;

/** An in-memory event target without Node's warning past 10 listeners: a thread may have thousands of watchers. */
export function unboundedEventTarget(): PubSubEventTarget<Topics> {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target as PubSubEventTarget<Topics>;
}

/** An event target whose events reach every process listening on the same database. */
export interface PostgresEventTarget extends PubSubEventTarget<Topics> {
  close(): Promise<void>;
}

/**
 * Pub/sub across the processes of one deployment through PostgreSQL's LISTEN/NOTIFY, so several
 * workers need nothing beyond the database they already share. A dispatched event is sent to every
 * listener, this process included, and delivered locally only when it comes back: every process sees
 * the same order. Events dispatched while a NOTIFY is under way go together in the next one.
 *
 * The publishing session commits without waiting for its WAL flush: a notification is only a wake-up,
 * the outbox row it announces is already durable. If the listening connection drops, events sent
 * meanwhile are not heard; a thread's stream fills such a gap from the outbox when its next event
 * arrives (as it does for Redis).
 */
export async function createPostgresEventTarget(
  url: string,
  onError: (error: Error) => void,
): Promise<PostgresEventTarget> {
  const local = unboundedEventTarget();
  const publisher = new pg.Pool({ connectionString: url, max: 1, options: '-c synchronous_commit=off' });
  publisher.on('error', onError);

  let closed = false;
  let listener: pg.Client | undefined;
  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', ({ payload }) => {
      if (payload === undefined) return;
      const { type, detail } = JSON.parse(payload) as { type: string; detail: unknown };
      local.dispatchEvent(new CustomEvent(type, { detail }) as PubSubEvent<Topics, keyof Topics>);
    });
    // pg reports a lost connection as up to two errors, then an end: listen again once. A client
    // that never got to listen is `retry`'s to replace.
    const relisten = () => {
      if (listener !== client) return;
      listener = undefined;
      if (!closed) setTimeout(() => void listen().catch(retry), reconnectMs).unref();
    };
    client.on('error', (error) => {
      onError(error);
      relisten();
    });
    client.on('end', relisten);
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    listener = client;
  };
  const retry = (error: Error) => {
    onError(error);
    if (!closed) setTimeout(() => void listen().catch(retry), reconnectMs).unref();
  };
  await listen();

  let queued: string[] = [];
  let sending: Promise<void> | undefined;
  const send = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      // One statement, in order: pg_notify runs once per element, as unnest gives them.
      await publisher
        .query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [channel, batch])
        .catch(onError);
    }
    sending = undefined;
  };

  return {
    addEventListener: (type, callback) => local.addEventListener(type, callback),
    removeEventListener: (type, callback) => local.removeEventListener(type, callback),
    dispatchEvent: (event) => {
      queued.push(JSON.stringify({ type: event.type, detail: event.detail }));
      sending ??= send();
      return true;
    },
    close: async () => {
      closed = true;
      await sending;
      await listener?.end();
      await publisher.end();
    },
  };
}
