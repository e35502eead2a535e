import type { Database } from './database.js';

/**
 * Joins a notification (`n`) to its post; a notification whose post is gone is no longer news, but
 * a MODERATION one is: it goes to the post's author, who still reads the deleted post.
 */
export const liveNotifications = `JOIN post p ON p.id = n.post_id AND (p.deleted_at IS NULL OR n.kind = 'MODERATION')`;

/** How many of a user's notifications are unread: the loaders' field and the answer to markRead. */
export async function unreadNotificationCount(db: Database, userId: number): Promise<number> {
  const [{ total }]: Array<{ total: number }> = await db.query(
    `SELECT count(*)::integer AS total FROM notification n ${liveNotifications}
      WHERE n.user_id = $1 AND n.read_at IS NULL`,
    [userId],
  );
  return total;
}
