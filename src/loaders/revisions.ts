import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import { PostRevision } from '../../entities/post-revision.entity.js';
import { batchPageParams, batchPagesSql, batchToPages, type Ordering, type Page, type PageArgs } from './pagination.js';

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

/**
 * Revision pages of many posts in one statement (a LATERAL join over the keys). A deleted post
 * shows none.
 */
export function revisionPageLoader(db: Database): DataLoader<RevisionPageKey, Page<PostRevision>, string> {
  return new DataLoader(
    async (keys) => {
      const batch = keys.map((key) => ({ ...key, parent: key.postId, scope: `revisions of ${key.postId}` }));
      const rows: Array<Record<string, unknown> & { keyIndex: number }> = await db.query(
        batchPagesSql(
          revisionOrdering,
          'r',
          1,
          (parent, after) => `SELECT r.post_id AS "postId", r.number, r.editor_id AS "editorId", r.title, r.body,
              r.body_html AS "bodyHtml", r.tags, r.created_at AS "createdAt"
            FROM post_revision r JOIN post p ON p.id = r.post_id AND p.deleted_at IS NULL
           WHERE r.post_id = ${parent} AND ${after}`,
        ),
        batchPageParams(revisionOrdering, batch),
      );
      const toRevision = ({ keyIndex: _, ...row }: Record<string, unknown>) => Object.assign(new PostRevision(), row);
      return batchToPages(revisionOrdering, batch, rows, toRevision, (key) => key.totalCount);
    },
    { cacheKeyFn: (key) => `${key.postId}:${key.first}:${key.after ?? ''}` },
  );
}
