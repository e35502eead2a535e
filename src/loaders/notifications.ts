import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Notification } from '../../entities/notification.entity.js';
import { liveNotifications } from '../db/notifications.js';
import { notificationColumns, selectList, toNotification } from '../db/rows.js';
import { inKeyOrder } from './batch.js';
import {
  afterCondition,
  decodeCursor,
  orderBy,
  toPage,
  type Ordering,
  type Page,
  type PageArgs,
} from './pagination.js';

const columns = selectList(notificationColumns, 'n');

const newestFirst: Ordering = {
  name: 'NEWEST',
  keys: [{ column: 'id', property: 'rowId', descending: true, type: 'integer' }],
};

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
export async function notificationPage(
  db: Database,
  userId: number,
  args: PageArgs & { unreadOnly: boolean },
): Promise<Page<Notification>> {
  const filter = `n.user_id = $1 ${args.unreadOnly ? 'AND n.read_at IS NULL' : ''}`;
  const scope = `notifications ${args.unreadOnly ? 'unread' : 'all'}`;
  const params: unknown[] = [userId, args.first + 1];
  let condition = filter;
  if (args.after != null) {
    params.push(...decodeCursor(newestFirst, scope, args.after));
    condition += ` AND ${afterCondition(newestFirst, 'n', (i) => `$${i + 3}`)}`;
  }
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT ${columns} FROM notification n ${liveNotifications} WHERE ${condition} ORDER BY ${orderBy(newestFirst, 'n')} LIMIT $2`,
    params,
  );
  const count = async (): Promise<number> => {
    const [{ total }]: Array<{ total: number }> = await db.query(
      `SELECT count(*)::integer AS total FROM notification n ${liveNotifications} WHERE ${filter}`,
      [userId],
    );
    return total;
  };
  return toPage(newestFirst, scope, rows, args, toNotification, count);
}
