import type { Database } from '../db/database.js';
import type { Author } from '../auth/viewer.js';
import { BadUserInputError } from '../errors/index.js';
import { unreadNotificationCount } from '../db/notifications.js';

/** A user's notifications: reading them. */
export class NotificationService {
  constructor(private readonly db: Database) {}

  /**
   * Marks the viewer's notifications `ids` (or all of them) read, and gives the unread count after.
   * Ids of other users' notifications are ignored; giving neither ids nor all is BAD_USER_INPUT.
   */
  async markRead(viewer: Author, target: { ids?: readonly number[]; all: boolean }): Promise<number> {
    if (!target.all && target.ids === undefined) {
      throw new BadUserInputError('Give ids, or all: true', { field: 'ids', rule: 'required' });
    }
    await this.db.query(
      `UPDATE notification SET read_at = now()
        WHERE user_id = $1 AND read_at IS NULL AND ($2 OR id = ANY($3::integer[]))`,
      [viewer.userId, target.all, target.ids ?? []],
    );
    return unreadNotificationCount(this.db, viewer.userId);
  }
}
