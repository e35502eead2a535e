import { Repeater } from '@repeaterjs/repeater';
import type { DataSource } from 'typeorm';
import type { Realtime } from './pubsub.js';
import { threadEventStream, type EventFilter } from './stream.js';
import type { Viewer } from '../auth/viewer.js';
import { UnauthenticatedError } from '../errors/index.js';
import type { NotificationMessage, ThreadEventMessage } from './topics.js';

/** What subscription resolvers listen to. */
export interface LiveThreads {
  /** See {@link threadEventStream}. */
  threadEvents(
    questionId: number,
    afterSeq: number | null,
    wanted?: EventFilter,
  ): Promise<Repeater<ThreadEventMessage>>;
  /**
   * The viewer's new notifications, until their session is revoked (logOut), which ends the stream.
   * UNAUTHENTICATED when the session is already gone.
   */
  notifications(
    viewer: Viewer,
    wanted: (notification: NotificationMessage) => Promise<boolean>,
  ): Promise<Repeater<NotificationMessage>>;
}

export function createLiveThreads(db: DataSource, realtime: Realtime): LiveThreads {
  return {
    threadEvents: (questionId, afterSeq, wanted) => threadEventStream(db, realtime, questionId, afterSeq, wanted),
    notifications: async (viewer, wanted) => {
      const incoming = realtime.pubsub.subscribe('notification', viewer.userId);
      const revoked = realtime.pubsub.subscribe('sessionRevoked', viewer.sessionId);
      const [{ live }]: Array<{ live: boolean }> = await db.query(
        'SELECT EXISTS (SELECT 1 FROM session WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()) AS live',
        [viewer.sessionId],
      );
      if (!live) {
        await Promise.all([incoming.return(), revoked.return()]);
        throw new UnauthenticatedError('The token is invalid, expired or revoked: sign in again');
      }
      return new Repeater<NotificationMessage>(async (push, stop) => {
        const forward = (async () => {
          for await (const notification of incoming) if (await wanted(notification)) await push(notification);
        })().catch(stop);
        const end = (async () => {
          for await (const _ of revoked) break;
          stop();
        })().catch(stop);
        await stop;
        await Promise.all([incoming.return(), revoked.return()]);
        await Promise.all([forward, end]);
      });
    },
  };
}
