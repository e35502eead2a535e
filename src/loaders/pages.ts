import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Post, PostKind } from '../../entities/post.entity.js';
import {
  afterCondition,
  decodeCursor,
  orderBy,
  toPage,
  type Ordering,
  type Page,
  type PageArgs,
} from './pagination.js';
import { postReadColumns, type PostReader, type PostReadRow } from './rows.js';
import { preparedRows } from '../db/prepared.js';

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
  db: DataSource,
  list: ChildList,
  reader: PostReader,
): DataLoader<ChildPageKey, Page<T>, string> {
  return new DataLoader(
    async (keys) => {
      const pages = new Map<ChildPageKey, Page<T>>();
      const byOrdering = new Map<Ordering, ChildPageKey[]>();
      for (const key of keys) byOrdering.set(key.ordering, [...(byOrdering.get(key.ordering) ?? []), key]);
      await Promise.all(
        [...byOrdering].map(async ([ordering, group]) => {
          const rows = await selectPages(db, list, ordering, group, reader.viewerId);
          group.forEach((key, i) => {
            const own = rows.filter((row) => row.keyIndex === i + 1);
            pages.set(
              key,
              toPage(ordering, scopeOf(list, key), own, key, (row) => reader.read(row) as T, key.totalCount),
            );
          });
        }),
      );
      return keys.map((key) => pages.get(key) as Page<T>);
    },
    { cacheKeyFn: (key) => `${key.parentId}:${key.first}:${key.after ?? ''}:${key.ordering.name}` },
  );
}

/** The list one key reads, e.g. "answer by question_id 12". */
function scopeOf(list: ChildList, key: ChildPageKey): string {
  return `${list.kind} by ${list.parentColumn} ${key.parentId}`;
}

async function selectPages(
  db: DataSource,
  list: ChildList,
  ordering: Ordering,
  keys: readonly ChildPageKey[],
  viewerId: number | null,
): Promise<Array<PostReadRow & { keyIndex: number }>> {
  const cursors = keys.map((key) => (key.after == null ? null : decodeCursor(ordering, scopeOf(list, key), key.after)));
  const cursorArrays = ordering.keys.map((_, i) => cursors.map((values) => (values ? values[i] : null)));
  const cursorColumns = ordering.keys.map((_, i) => `c${i}`);
  const last = cursorColumns.length - 1;
  const unnestArgs = ordering.keys.map((key, i) => `$${i + 4}::${key.type}[]`).join(', ');
  const { select, join } = postReadColumns('$3');
  // The kind is written into the text, not passed: the partial indexes (`WHERE kind = 'reply' …`) only
  // serve a plan that knows it, and a prepared statement's generic plan knows no parameter.
  return preparedRows(
    db,
    `SELECT k.i::integer AS "keyIndex", c.*
       FROM unnest($1::integer[], $2::integer[], ${unnestArgs}) WITH ORDINALITY AS k(parent, lim, ${cursorColumns.join(', ')}, i)
       CROSS JOIN LATERAL (
         SELECT ${select} FROM post p ${join}
          WHERE p.${list.parentColumn} = k.parent AND p.kind = '${list.kind}' AND p.deleted_at IS NULL
            AND (k.c${last} IS NULL OR ${afterCondition(ordering, 'p', (i) => `k.c${i}`)})
          ORDER BY ${orderBy(ordering, 'p')}
          LIMIT k.lim + 1
       ) c`,
    [keys.map((key) => key.parentId), keys.map((key) => key.first), viewerId, ...cursorArrays],
  );
}
