import type { Database } from '../db/database.js';
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

/** Rows in the order they were made: by id, newest first when `descending`. */
export function byId(descending: boolean): Ordering {
  return {
    name: descending ? 'NEWEST' : 'OLDEST',
    keys: [{ column: 'id', property: 'rowId', descending, type: 'integer' }],
  };
}

/** Where {@link idPage} reads: `table` as `alias` (with `join`), its rows matching `filter`, in which $1 is `param`. */
export interface IdPageSource {
  table: string;
  alias: string;
  /** The select list (see selectList in src/db/rows.ts). */
  columns: string;
  join?: string;
  filter: string;
  param: unknown;
  /** What a cursor of this list belongs to (see encodeCursor). */
  scope: string;
}

/** One page of a list ordered by id (see {@link byId}): flags, the moderation log, notifications. */
export async function idPage<T>(
  db: Database,
  source: IdPageSource,
  ordering: Ordering,
  args: PageArgs,
  toNode: (row: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const { table, alias, columns, join = '', filter, param, scope } = source;
  const directedOrdering = directed(ordering, args);
  const params: unknown[] = [param, args.first + 1];
  let condition = filter;
  if (args.after != null) {
    params.push(...decodeCursor(directedOrdering, scope, { ...args, after: args.after }));
    condition += ` AND ${afterCondition(directedOrdering, alias, (i) => `$${i + 3}`)}`;
  }
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT ${columns} FROM ${table} ${alias} ${join} WHERE ${condition} ORDER BY ${orderBy(directedOrdering, alias)} LIMIT $2`,
    params,
  );
  const count = async (): Promise<number> => {
    const [{ total }]: Array<{ total: number }> = await db.query(
      `SELECT count(*)::integer AS total FROM ${table} ${alias} ${join} WHERE ${filter}`,
      [param],
    );
    return total;
  };
  return toPage(directedOrdering, scope, rows, args, toNode, count);
}
