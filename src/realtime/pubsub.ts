import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import type { NotificationMessage, ThreadEventMessage, Topics } from './topics.js';

/** The process's pub/sub: in memory, or through Redis so that every instance hears every event. */
export interface Realtime {
  pubsub: PubSub<Topics>;
  /** Publishes committed thread events, in order. Call it only after the commit. */
  publishThreadEvents(events: readonly ThreadEventMessage[]): void;
  /** Publishes committed notifications, each to its user. */
  publishNotifications(notifications: readonly NotificationMessage[]): void;
  /** Publishes that a session was revoked. */
  publishSessionRevoked(sessionId: number): void;
  /** Disconnects from Redis, if connected. */
  close(): Promise<void>;
}

/** Creates the pub/sub: through Redis at `redisUrl` when given, else in this process only. */
export function createRealtime(redisUrl?: string): Realtime {
  const clients = redisUrl ? [new Redis(redisUrl), new Redis(redisUrl)] : [];
  const pubsub = createPubSub<Topics>(
    clients.length
      ? { eventTarget: createRedisEventTarget({ publishClient: clients[0], subscribeClient: clients[1] }) }
      : {},
  );
  return {
    pubsub,
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
