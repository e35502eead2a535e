import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import { Flag } from '../../entities/flag.entity.js';
import type { FlagStatus } from '../../entities/moderation-enums.js';
import { ModerationAction } from '../../entities/moderation-action.entity.js';
import type { Post } from '../../entities/post.entity.js';
import { inKeyOrder } from './batch.js';
import {
  afterCondition,
  decodeCursor,
  directed,
  orderBy,
  toPage,
  type Ordering,
  type Page,
  type PageArgs,
} from './pagination.js';
import { postReadColumns, type PostReader, type PostReadRow } from '../db/rows.js';

/** The columns of a flag row, aliased to entity property names. */
export const flagColumns = `f.id AS "rowId", f.post_id AS "postId", f.flagger_id AS "flaggerId", f.reason, f.note,
  f.status, f.created_at AS "createdAt", f.handled_by_id AS "handledById", f.handled_at AS "handledAt"`;

const actionColumns = `a.id AS "rowId", a.kind, a.moderator_id AS "moderatorId", a.post_id AS "postId",
  a.user_id AS "userId", a.reason, a.created_at AS "createdAt"`;

export function toFlag(row: Record<string, unknown>): Flag {
  return Object.assign(new Flag(), row);
}

function toAction(row: Record<string, unknown>): ModerationAction {
  return Object.assign(new ModerationAction(), row);
}

const byId = (descending: boolean): Ordering => ({
  name: descending ? 'NEWEST' : 'OLDEST',
  keys: [{ column: 'id', property: 'rowId', descending, type: 'integer' }],
});

/** One page of `table` (alias `alias`) rows matching `filter` ($1 is `param`), in id order. */
async function idPage<T>(
  db: Database,
  from: { table: string; alias: string; columns: string; filter: string; param: unknown; scope: string },
  ordering: Ordering,
  args: PageArgs,
  toNode: (row: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const { table, alias, columns, filter, param, scope } = from;
  const directedOrdering = directed(ordering, args);
  const params: unknown[] = [param, args.first + 1];
  let condition = filter;
  if (args.after != null) {
    params.push(...decodeCursor(directedOrdering, scope, { ...args, after: args.after }));
    condition += ` AND ${afterCondition(directedOrdering, alias, (i) => `$${i + 3}`)}`;
  }
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT ${columns} FROM ${table} ${alias} WHERE ${condition} ORDER BY ${orderBy(directedOrdering, alias)} LIMIT $2`,
    params,
  );
  const count = async (): Promise<number> => {
    const [{ total }]: Array<{ total: number }> = await db.query(
      `SELECT count(*)::integer AS total FROM ${table} ${alias} WHERE ${filter}`,
      [param],
    );
    return total;
  };
  return toPage(directedOrdering, scope, rows, args, toNode, count);
}

/** The moderators' queue: flags of one status, oldest first. */
export function flagPage(db: Database, args: PageArgs & { status: FlagStatus }): Promise<Page<Flag>> {
  const from = { table: 'flag', alias: 'f', columns: flagColumns, filter: 'f.status = $1', param: args.status };
  return idPage(db, { ...from, scope: `flags ${args.status}` }, byId(false), args, toFlag);
}

/** The moderation log, newest first. */
export function actionPage(db: Database, args: PageArgs): Promise<Page<ModerationAction>> {
  const from = { table: 'moderation_action', alias: 'a', columns: actionColumns, filter: '$1::boolean', param: true };
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
