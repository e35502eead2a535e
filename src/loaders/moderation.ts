import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Flag } from '../../entities/flag.entity.js';
import type { FlagStatus } from '../../entities/moderation-enums.js';
import type { ModerationAction } from '../../entities/moderation-action.entity.js';
import type { Post } from '../../entities/post.entity.js';
import { inKeyOrder } from './batch.js';
import { byId, idPage } from './id-pages.js';
import type { Page, PageArgs } from './pagination.js';
import {
  actionSelect,
  flagSelect,
  postReadColumns,
  toAction,
  toFlag,
  type PostReader,
  type PostReadRow,
} from '../db/rows.js';

/** The moderators' queue: flags of one status, oldest first. */
export function flagPage(db: Database, args: PageArgs & { status: FlagStatus }): Promise<Page<Flag>> {
  const from = { table: 'flag', alias: 'f', columns: flagSelect, filter: 'f.status = $1', param: args.status };
  return idPage(db, { ...from, scope: `flags ${args.status}` }, byId(false), args, toFlag);
}

/** The moderation log, newest first. */
export function actionPage(db: Database, args: PageArgs): Promise<Page<ModerationAction>> {
  const from = { table: 'moderation_action', alias: 'a', columns: actionSelect, filter: '$1::boolean', param: true };
  return idPage(db, { ...from, scope: 'moderation log' }, byId(true), args, toAction);
}

/**
 * Posts by row id whether deleted or not, for moderators (callers check): the post a flag or a line
 * of the log is about.
 */
export function anyPostLoader(db: Database, reader: PostReader): DataLoader<number, Post | null> {
  const { select, join } = postReadColumns('$2');
  return new DataLoader(async (ids) => {
    const rows: PostReadRow[] = await db.query(`SELECT ${select} FROM post p ${join} WHERE p.id = ANY($1::integer[])`, [
      ids,
      reader.viewerId,
    ]);
    return inKeyOrder(ids, rows, (row) => row.rowId as number, reader.read, null);
  });
}
