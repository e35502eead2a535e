import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { User } from '../../entities/user.entity.js';
import { groupedInKeyOrder, inKeyOrder } from './batch.js';
import { toUser, userSelect } from '../db/rows.js';

/** Users by row id: the authors of every post on a page in one statement. */
export function userLoader(db: Database): DataLoader<number, User | null> {
  return new DataLoader(async (ids) => {
    const rows = await db.prepared(`SELECT ${userSelect} FROM "user" u WHERE u.id = ANY($1::integer[])`, [ids]);
    return inKeyOrder(ids, rows, (row) => row.rowId as number, toUser, null);
  });
}

/** Users by username, case-insensitively (keys are lower-cased by the caller). */
export function userByUsernameLoader(db: Database): DataLoader<string, User | null> {
  return new DataLoader(async (names) => {
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT ${userSelect}, lower(u.username) AS "key" FROM "user" u WHERE lower(u.username) = ANY($1::text[])`,
      [names],
    );
    return inKeyOrder(names, rows, (row) => row.key as string, toUser, null);
  });
}

/** The users each post @mentions, in order of first mention. */
export function mentionsLoader(db: Database): DataLoader<number, User[]> {
  return new DataLoader(async (postIds) => {
    const rows = await db.prepared(
      `SELECT m.post_id AS "postId", ${userSelect} FROM post_mention m JOIN "user" u ON u.id = m.user_id
        WHERE m.post_id = ANY($1::integer[]) ORDER BY m.post_id, m.position`,
      [postIds],
    );
    return groupedInKeyOrder(postIds, rows, (row) => row.postId as number, toUser);
  });
}

/** How many live posts of a kind each user wrote, keyed `kind:userId` (read only for totalCount). */
export function authoredCountLoader(db: Database): DataLoader<string, number> {
  return new DataLoader(async (keys) => {
    const userIds = [...new Set(keys.map((key) => Number(key.split(':')[1])))];
    const rows: Array<{ key: string; total: number }> = await db.query(
      `SELECT kind || ':' || author_id AS key, count(*)::integer AS total FROM post
        WHERE author_id = ANY($1::integer[]) AND deleted_at IS NULL GROUP BY kind, author_id`,
      [userIds],
    );
    return inKeyOrder(
      keys,
      rows,
      (row) => row.key,
      (row) => row.total,
      0,
    );
  });
}
