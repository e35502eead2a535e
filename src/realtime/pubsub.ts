import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub, type PubSubEventTarget } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import { Redis } from 'ioredis';
import { sharedListening, type Listening } from './listen.js';
import type { NotificationMessage, ThreadEventMessage, Topics } from './topics.js';

/** The process's pub/sub: in memory, or through Redis so that every instance hears every event. */
export interface Realtime {
  pubsub: PubSub<Topics>;
  /** Listens to a thread's events from now; all of this process's listeners of a thread share one subscription. */
  listenToThread(questionId: number): Listening<ThreadEventMessage>;
  /** Publishes committed thread events, in order. Call it only after the commit. */
  publishThreadEvents(events: readonly ThreadEventMessage[]): void;
  /** Publishes committed notifications, each to its user. */
  publishNotifications(notifications: readonly NotificationMessage[]): void;
  /** Publishes that a session was revoked. */
  publishSessionRevoked(sessionId: number): void;
  /** Disconnects from Redis, if connected. */
  close(): Promise<void>;
}

/** An in-memory event target without Node's warning past 10 listeners: a thread may have thousands of watchers. */
function unboundedEventTarget(): PubSubEventTarget<Topics> {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target as PubSubEventTarget<Topics>;
}

/** Creates the pub/sub: through Redis at `redisUrl` when given, else in this process only. */
export function createRealtime(redisUrl?: string): Realtime {
  const clients = redisUrl ? [new Redis(redisUrl), new Redis(redisUrl)] : [];
  const eventTarget: PubSubEventTarget<Topics> = clients.length
    ? createRedisEventTarget({ publishClient: clients[0], subscribeClient: clients[1] })
    : unboundedEventTarget();
  const pubsub = createPubSub<Topics>({ eventTarget });
  return {
    pubsub,
    listenToThread: sharedListening((questionId: number) => pubsub.subscribe('thread', questionId)),
    publishThreadEvents: (events) => {
      for (const event of events) pubsub.publish('thread', event.questionId, event);
    },
    publishNotifications: (notifications) => {
      for (const notification of notifications) pubsub.publish('notification', notification.userId, notification);
    },
    publishSessionRevoked: (sessionId) => pubsub.publish('sessionRevoked', sessionId, true),
    close: async () => {
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}
