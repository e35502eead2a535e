import type { Database, Transaction } from '../db/database.js';
import { recordEvents, type ThreadChange } from '../realtime/outbox.js';
import type { Realtime } from '../realtime/pubsub.js';
import type { NotificationMessage, ThreadEventMessage } from '../realtime/topics.js';
import { notifyAbout, notifyUser } from './notifications.js';

/** What a write to a thread announces, in its own transaction. */
export interface Announce {
  /** Records changes of a thread (thread events). */
  record(questionId: number, ...changes: ThreadChange[]): Promise<void>;
  /** Notifies the users a written or edited post concerns (see {@link notifyAbout}). */
  notify(postId: number, mentionIds: readonly number[], cause: 'written' | 'edited'): Promise<void>;
  /** Notifies one user about a post (see {@link notifyUser}); callers never notify the viewer. */
  notifyUser(userId: number, postId: number, kind: 'ANSWER_ACCEPTED' | 'MODERATION'): Promise<void>;
}

/**
 * Runs a write to a thread in one transaction, recording its events and notifications as it goes,
 * and publishes them only once the transaction has committed: a rolled-back write publishes nothing.
 */
export async function writeThread<T>(
  db: Database,
  realtime: Pick<Realtime, 'publishThreadEvents' | 'publishNotifications'>,
  work: (m: Transaction, announce: Announce) => Promise<T>,
): Promise<T> {
  let events: ThreadEventMessage[] = [];
  let notifications: NotificationMessage[] = [];
  const result = await db.transaction((m) => {
    events = [];
    notifications = [];
    return work(m, {
      record: async (questionId, ...changes) => {
        events.push(...(await recordEvents(m, questionId, changes)));
      },
      notify: async (postId, mentionIds, cause) => {
        notifications.push(...(await notifyAbout(m, postId, mentionIds, cause)));
      },
      notifyUser: async (userId, postId, kind) => {
        notifications.push(...(await notifyUser(m, userId, postId, kind)));
      },
    });
  });
  realtime.publishThreadEvents(events);
  realtime.publishNotifications(notifications);
  return result;
}
