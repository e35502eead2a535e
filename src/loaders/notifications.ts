import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Notification } from '../../entities/notification.entity.js';
import { liveNotifications } from '../db/notifications.js';
import { notificationColumns, selectList, toNotification } from '../db/rows.js';
import { inKeyOrder } from './batch.js';
import { byId, idPage } from './id-pages.js';
import type { Page, PageArgs } from './pagination.js';

const columns = selectList(notificationColumns, 'n');

/** Notifications by row id, whoever they belong to (callers check the owner). */
export function notificationLoader(db: Database): DataLoader<number, Notification | null> {
  return new DataLoader(async (ids) => {
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT ${columns} FROM notification n ${liveNotifications} WHERE n.id = ANY($1::integer[])`,
      [ids],
    );
    return inKeyOrder(ids, rows, (row) => row.rowId as number, toNotification, null);
  });
}

/** A page of a user's notifications, newest first; only unread ones with `unreadOnly`. */
export function notificationPage(
  db: Database,
  userId: number,
  args: PageArgs & { unreadOnly: boolean },
): Promise<Page<Notification>> {
  const source = {
    table: 'notification',
    alias: 'n',
    columns,
    join: liveNotifications,
    filter: `n.user_id = $1 ${args.unreadOnly ? 'AND n.read_at IS NULL' : ''}`,
    param: userId,
    scope: `notifications ${args.unreadOnly ? 'unread' : 'all'}`,
  };
  return idPage(db, source, byId(true), args, toNotification);
}
