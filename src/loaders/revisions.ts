import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { PostRevision } from '../../entities/post-revision.entity.js';
import {
  afterCondition,
  decodeCursor,
  orderBy,
  toPage,
  type Ordering,
  type Page,
  type PageArgs,
} from './pagination.js';

/** One page of a post's revisions; `totalCount` is the post's revision counter. */
export interface RevisionPageKey extends PageArgs {
  postId: number;
  totalCount: number;
}

/** Newest first: the number of a revision never changes, so it is the whole key. */
export const revisionOrdering: Ordering = {
  name: 'NEWEST',
  keys: [{ column: 'number', property: 'number', descending: true, type: 'integer' }],
};

const scopeOf = (key: RevisionPageKey) => `revisions of ${key.postId}`;

/**
 * Revision pages of many posts in one statement (a LATERAL join over the keys). A deleted post
 * shows none.
 */
export function revisionPageLoader(db: DataSource): DataLoader<RevisionPageKey, Page<PostRevision>, string> {
  return new DataLoader(
    async (keys) => {
      const cursors = keys.map((key) =>
        key.after == null ? null : (decodeCursor(revisionOrdering, scopeOf(key), key.after)[0] as number),
      );
      const rows: Array<Record<string, unknown> & { keyIndex: number }> = await db.query(
        `SELECT k.i::integer AS "keyIndex", r.*
           FROM unnest($1::integer[], $2::integer[], $3::integer[]) WITH ORDINALITY AS k(post, lim, c0, i)
           CROSS JOIN LATERAL (
             SELECT r.post_id AS "postId", r.number, r.editor_id AS "editorId", r.title, r.body,
                    r.body_html AS "bodyHtml", r.tags, r.created_at AS "createdAt"
               FROM post_revision r JOIN post p ON p.id = r.post_id AND p.deleted_at IS NULL
              WHERE r.post_id = k.post AND (k.c0 IS NULL OR ${afterCondition(revisionOrdering, 'r', () => 'k.c0')})
              ORDER BY ${orderBy(revisionOrdering, 'r')}
              LIMIT k.lim + 1
           ) r`,
        [keys.map((key) => key.postId), keys.map((key) => key.first), cursors],
      );
      return keys.map((key, i) =>
        toPage(
          revisionOrdering,
          scopeOf(key),
          rows.filter((row) => row.keyIndex === i + 1),
          key,
          ({ keyIndex: _, ...row }) => Object.assign(new PostRevision(), row),
          key.totalCount,
        ),
      );
    },
    { cacheKeyFn: (key) => `${key.postId}:${key.first}:${key.after ?? ''}` },
  );
}
