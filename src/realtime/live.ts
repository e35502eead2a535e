import type { Database } from '../db/database.js';
import { listenNow } from './listen.js';
import type { Realtime } from './pubsub.js';
import { PushQueue } from './queue.js';
import { threadEventStream, type WatchOptions } from './stream.js';
import type { Viewer } from '../auth/viewer.js';
import { UnauthenticatedError } from '../errors/index.js';
import type { NotificationMessage, ThreadEventMessage } from './topics.js';

/** What subscription resolvers listen to. */
export interface LiveThreads {
  /** See {@link threadEventStream}. */
  threadEvents(
    questionId: number,
    afterSeq: number | null,
    options?: WatchOptions,
  ): Promise<PushQueue<ThreadEventMessage>>;
  /**
   * The viewer's new notifications, until their session is revoked (logOut), which ends the stream.
   * UNAUTHENTICATED when the session is already gone.
   */
  notifications(
    viewer: Viewer,
    wanted: (notification: NotificationMessage) => Promise<boolean>,
  ): Promise<PushQueue<NotificationMessage>>;
}

export function createLiveThreads(db: Database, realtime: Realtime): LiveThreads {
  return {
    threadEvents: (questionId, afterSeq, options) => threadEventStream(db, realtime, questionId, afterSeq, options),
    notifications: async (viewer, wanted) => {
      const incoming = listenNow(realtime.pubsub.subscribe('notification', viewer.userId));
      const revoked = listenNow(realtime.pubsub.subscribe('sessionRevoked'));
      const [{ live }]: Array<{ live: boolean }> = await db.query(
        'SELECT EXISTS (SELECT 1 FROM session WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()) AS live',
        [viewer.sessionId],
      );
      if (!live) {
        await Promise.all([incoming.stop(), revoked.stop()]);
        throw new UnauthenticatedError('The token is invalid, expired or revoked: sign in again');
      }
      const queue = new PushQueue<NotificationMessage>(() => void Promise.all([incoming.stop(), revoked.stop()]));
      // One link per notification, so they go out in order though `wanted` answers asynchronously.
      let chain = Promise.resolve();
      incoming.deliverTo((notification) => {
        chain = chain
          .then(async () => {
            if (await wanted(notification)) queue.push(notification);
          })
          .catch((error: unknown) => queue.stop(error));
      });
      revoked.deliverTo((sessionId) => {
        if (sessionId === viewer.sessionId) queue.stop();
      });
      return queue;
    },
  };
}
