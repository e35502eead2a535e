import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Post, PostKind } from '../../entities/post.entity.js';
import {
  batchPageParams,
  batchPagesSql,
  batchToPages,
  directed,
  pageKeyOf,
  orderBy,
  toPage,
  type BatchPageKey,
  type Ordering,
  type Page,
  type PageArgs,
} from './pagination.js';
import { postReadColumns, type PostReader, type PostReadRow } from '../db/rows.js';

/** One page of the posts of one parent: the answers of a question, the replies of an answer, … */
export interface ChildPageKey extends PageArgs {
  parentId: number;
  ordering: Ordering;
  /** Where the parent keeps the count of its children. */
  totalCount: Page<Post>['totalCount'];
}

/** Which posts hang under a parent, and through which column. */
export interface ChildList {
  kind: PostKind;
  parentColumn: 'question_id' | 'answer_id' | 'author_id';
}

/**
 * Pages of children for many parents at once: one statement per ordering in the batch (a LATERAL
 * join over the keys), instead of one per parent. Each parent may have its own `first` and `after`.
 */
export function childPageLoader<T extends Post>(
  db: Database,
  list: ChildList,
  reader: PostReader,
): DataLoader<ChildPageKey, Page<T>, string> {
  return new DataLoader(
    async (keys) => {
      const pages = new Map<ChildPageKey, Page<T>>();
      const byOrdering = new Map<Ordering, ChildPageKey[]>();
      for (const key of keys) {
        const ordering = directed(key.ordering, key);
        byOrdering.set(ordering, [...(byOrdering.get(ordering) ?? []), key]);
      }
      await Promise.all(
        [...byOrdering].map(async ([ordering, group]) => {
          const batch = group.map((key) => batchKeyOf(list, key));
          const rows = await selectPages(db, list, ordering, batch, reader.viewerId);
          const read = (row: PostReadRow) => reader.read(row) as T;
          batchToPages(ordering, batch, rows, read, (key) => key.totalCount).forEach((page, i) =>
            pages.set(group[i], page),
          );
        }),
      );
      return keys.map((key) => pages.get(key) as Page<T>);
    },
    { cacheKeyFn: (key) => `${key.parentId}:${key.first}:${pageKeyOf(key)}:${key.ordering.name}` },
  );
}

/** What the scope of a list of `list` starts with, its parent's id following (see {@link scopeOf}). */
export function scopePrefix(list: ChildList): string {
  return `${list.kind} by ${list.parentColumn} `;
}

/** The list one key reads, e.g. "answer by question_id 12": its cursors belong to it alone. */
function scopeOf(list: ChildList, key: Pick<ChildPageKey, 'parentId'>): string {
  return `${scopePrefix(list)}${key.parentId}`;
}

/** A page key as {@link batchPagesSql} takes it: its parent, and the list its cursor must belong to. */
function batchKeyOf<K extends Omit<ChildPageKey, 'totalCount'>>(list: ChildList, key: K): K & BatchPageKey {
  return { ...key, parent: key.parentId, scope: scopeOf(list, key) };
}

/** The answers of a question, and the replies of an answer. */
export const answerList: ChildList = { kind: 'answer', parentColumn: 'question_id' };
export const replyList: ChildList = { kind: 'reply', parentColumn: 'answer_id' };

/** The condition on `post p` of the live rows of `list` under `parent` (SQL naming the parent's id). */
export function liveChildrenOf(list: ChildList, parent: string): string {
  // The kind is written into the text, not passed: the partial indexes (`WHERE kind = 'reply' …`) only
  // serve a plan that knows it, and a prepared statement's generic plan knows no parameter.
  return `p.${list.parentColumn} = ${parent} AND p.kind = '${list.kind}' AND p.deleted_at IS NULL`;
}

/** SQL of the live rows of `list` under `parent` (SQL naming the parent's id), the viewer being `$1`. */
function rowsOf(list: ChildList, parent: string, withHtml = true): string {
  const { select, join } = postReadColumns('$1', withHtml);
  return `SELECT ${select} FROM post p ${join} WHERE ${liveChildrenOf(list, parent)}`;
}

/** SQL of pages of `list` for keys unnested from `$from` on ({@link batchPagesSql}). */
function childPagesSql(list: ChildList, ordering: Ordering, from: number, withHtml = true): string {
  return batchPagesSql(ordering, 'p', from, (parent, after) => `${rowsOf(list, parent, withHtml)} AND ${after}`);
}

async function selectPages(
  db: Database,
  list: ChildList,
  ordering: Ordering,
  keys: readonly BatchPageKey[],
  viewerId: number | null,
): Promise<Array<PostReadRow & { keyIndex: number }>> {
  return db.prepared(childPagesSql(list, ordering, 2), [viewerId, ...batchPageParams(ordering, keys)]);
}

/** The first page of each child's own children (an answer's replies), read along with the children. */
export interface GrandchildPages<G extends Post> {
  list: ChildList;
  ordering: Ordering;
  first: number;
  totalCountOf: (child: Post) => Page<G>['totalCount'];
}

/** postWithChildren's statement for each shape, built once: a page's text was rebuilt and hashed anew on every read. */
const withChildrenSql = new Map<string, string>();

function postWithChildrenSql(
  list: ChildList,
  ordering: Ordering,
  grandchildren: Pick<GrandchildPages<Post>, 'list' | 'ordering'> | undefined,
  withHtml: boolean,
  paramCount: number,
): string {
  const grand =
    grandchildren && `${grandchildren.list.kind}:${grandchildren.list.parentColumn}:${grandchildren.ordering.name}`;
  const direction = ordering.reversed ? 'backward' : 'forward';
  const shape = `${list.kind}:${list.parentColumn}:${ordering.name}:${direction}:${grand ?? ''}:${withHtml}:${paramCount}`;
  let sql = withChildrenSql.get(shape);
  if (sql !== undefined) return sql;
  const { select, join } = postReadColumns('$1', withHtml);
  sql = `WITH children AS (${childPagesSql(list, ordering, 3, withHtml)})
    SELECT 0 AS "keyIndex", ${select} FROM post p ${join} WHERE p.id = $2 AND p.deleted_at IS NULL
    UNION ALL SELECT * FROM children`;
  if (grandchildren) {
    // The grandchildren's page size is the last parameter.
    sql += ` UNION ALL SELECT -c."rowId" AS "keyIndex", g.* FROM children c CROSS JOIN LATERAL (
      ${rowsOf(grandchildren.list, 'c."rowId"', withHtml)}
      ORDER BY ${orderBy(grandchildren.ordering, 'p')} LIMIT $${paramCount} + 1) g`;
  }
  withChildrenSql.set(shape, sql);
  return sql;
}

/**
 * A post, one page of its children and, optionally, the first page of each child's children, in one
 * statement: the thread page's question, its answers and their replies. Rows come back marked by
 * `keyIndex`: 0 the post, 1 a child ({@link batchPagesSql} with one key), minus a child's id for
 * that child's children. Null when the post is absent or deleted. `withHtml` false reads no post's
 * `bodyHtml` (see {@link postReadColumns}).
 */
export async function postWithChildren<T extends Post, G extends Post = Post>(
  db: Database,
  list: ChildList,
  reader: PostReader,
  key: Omit<ChildPageKey, 'totalCount'>,
  totalCountOf: (parent: Post) => Page<T>['totalCount'],
  grandchildren?: GrandchildPages<G>,
  withHtml = true,
): Promise<{ post: Post; page: Page<T>; grandchildren: Map<number, Page<G>> } | null> {
  const batch = [batchKeyOf(list, key)];
  const ordering = directed(key.ordering, key);
  const params = [reader.viewerId, key.parentId, ...batchPageParams(ordering, batch)];
  if (grandchildren) params.push(grandchildren.first);
  const sql = postWithChildrenSql(list, ordering, grandchildren, withHtml, params.length);
  const rows = await db.prepared<PostReadRow & { keyIndex: number }>(sql, params);
  const own = rows.find((row) => row.keyIndex === 0);
  if (own === undefined) return null;
  const post = reader.read(own);
  const [page] = batchToPages(
    ordering,
    batch,
    rows,
    (row) => reader.read(row) as T,
    () => totalCountOf(post),
  );
  const pagesOfChildren = new Map<number, Page<G>>();
  if (grandchildren) {
    const { list: grandList, ordering, first, totalCountOf: countOf } = grandchildren;
    const read = (row: PostReadRow) => reader.read(row) as G;
    for (const { node: child } of page.edges) {
      const ofChild = rows.filter((row) => row.keyIndex === -child.rowId);
      const scope = scopeOf(grandList, { parentId: child.rowId });
      pagesOfChildren.set(child.rowId, toPage(ordering, scope, ofChild, { first, after: null }, read, countOf(child)));
    }
  }
  return { post, page, grandchildren: pagesOfChildren };
}
