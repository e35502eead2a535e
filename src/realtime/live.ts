import type { Repeater } from '@repeaterjs/repeater';
import type { DataSource } from 'typeorm';
import type { Realtime } from './pubsub.js';
import { threadEventStream, type EventFilter } from './stream.js';
import type { ThreadEventMessage } from './topics.js';

/** What subscription resolvers listen to. */
export interface LiveThreads {
  /** See {@link threadEventStream}. */
  threadEvents(
    questionId: number,
    afterSeq: number | null,
    wanted?: EventFilter,
  ): Promise<Repeater<ThreadEventMessage>>;
  /** Yields once when the session is revoked. */
  sessionRevoked(sessionId: number): AsyncIterableIterator<true | null>;
}

export function createLiveThreads(db: DataSource, realtime: Realtime): LiveThreads {
  return {
    threadEvents: (questionId, afterSeq, wanted) => threadEventStream(db, realtime, questionId, afterSeq, wanted),
    sessionRevoked: (sessionId) => realtime.pubsub.subscribe('sessionRevoked', sessionId),
  };
}
