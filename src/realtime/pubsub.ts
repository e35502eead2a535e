import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub, type PubSubEventTarget } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import { sharedListening, type Listening } from './listen.js';
import { createPostgresEventTarget, unboundedEventTarget } from './postgres-event-target.js';
import { deliveryLanes, type DeliveryLanes } from './slices.js';
import type { NotificationMessage, ThreadEventMessage, Topics } from './topics.js';

/** The process's pub/sub: in memory, or through Redis or PostgreSQL so that every process hears every event. */
export interface Realtime {
  pubsub: PubSub<Topics>;
  /**
   * How this process's pushed events reach their watchers: handed to each watcher of a thread, then
   * written to each socket, in slices of one shared queue (see deliveryLanes).
   */
  delivery: DeliveryLanes;
  /** Listens to a thread's events from now; all of this process's listeners of a thread share one subscription. */
  listenToThread(questionId: number): Listening<ThreadEventMessage>;
  /** Publishes committed thread events, in order. Call it only after the commit. */
  publishThreadEvents(events: readonly ThreadEventMessage[]): void;
  /** Publishes committed notifications, each to its user. */
  publishNotifications(notifications: readonly NotificationMessage[]): void;
  /** Publishes that a session was revoked. */
  publishSessionRevoked(sessionId: number): void;
  /** Publishes that a user's role or suspension changed. */
  publishStandingChanged(userId: number): void;
  /**
   * False while events cannot cross to other processes through Redis: a client of it is not `ready`
   * (connecting, reconnecting). Always true without Redis.
   */
  reachable(): boolean;
  /** Disconnects from Redis or PostgreSQL, if connected. */
  close(): Promise<void>;
}

/** What carries events between processes: Redis, or the PostgreSQL the processes share (LISTEN/NOTIFY). */
export type Across = { redisUrl: string } | { postgresUrl: string; onError: (error: Error) => void };

/** Creates the pub/sub: across processes when `across` says how, else in this process only. */
export async function createRealtime(across?: Across): Promise<Realtime> {
  const clients = across && 'redisUrl' in across ? [new Redis(across.redisUrl), new Redis(across.redisUrl)] : [];
  const postgres =
    across && 'postgresUrl' in across ? await createPostgresEventTarget(across.postgresUrl, across.onError) : undefined;
  const eventTarget: PubSubEventTarget<Topics> = clients.length
    ? createRedisEventTarget({ publishClient: clients[0], subscribeClient: clients[1] })
    : (postgres ?? unboundedEventTarget());
  const pubsub = createPubSub<Topics>({ eventTarget });
  const delivery = deliveryLanes();
  return {
    pubsub,
    delivery,
    listenToThread: sharedListening((questionId: number) => pubsub.subscribe('thread', questionId), delivery),
    publishThreadEvents: (events) => {
      for (const event of events) pubsub.publish('thread', event.questionId, event);
    },
    publishNotifications: (notifications) => {
      for (const notification of notifications) pubsub.publish('notification', notification.userId, notification);
    },
    publishSessionRevoked: (sessionId) => pubsub.publish('sessionRevoked', sessionId),
    publishStandingChanged: (userId) => pubsub.publish('standingChanged', userId),
    reachable: () => clients.every((client) => client.status === 'ready'),
    close: async () => {
      await Promise.all([...clients.map((client) => client.quit()), postgres?.close()]);
    },
  };
}
