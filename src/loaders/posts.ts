import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Post } from '../../entities/post.entity.js';
import type { Viewer } from '../auth/viewer.js';
import { NotFoundError } from '../errors/index.js';
import { maySeeRemoved } from '../services/policy.js';
import { inKeyOrder } from './batch.js';
import { postReadColumns, type PostReader, type PostReadRow } from '../db/rows.js';

/** Posts that are not deleted, by row id: a question, an answer or a reply, as its own class. */
export function postLoader(db: Database, reader: PostReader): DataLoader<number, Post | null> {
  const { select, join } = postReadColumns('$2');
  return new DataLoader(async (ids) => {
    const rows = await db.prepared<PostReadRow>(
      `SELECT ${select} FROM post p ${join} WHERE p.id = ANY($1::integer[]) AND p.deleted_at IS NULL`,
      [ids, reader.viewerId],
    );
    return inKeyOrder(ids, rows, (row) => row.rowId as number, reader.read, null);
  });
}

/**
 * Posts by row id as `viewer` may read them: live ones, and a deleted or hidden one when
 * {@link maySeeRemoved} allows it. `removed` runs only for the ids that `live` lacks.
 */
export function visiblePostLoader(
  live: DataLoader<number, Post | null>,
  removed: DataLoader<number, Post | null>,
  viewer: Viewer | null,
): DataLoader<number, Post | null> {
  if (viewer === null) return live;
  return new DataLoader(async (ids) => {
    const posts = await live.loadMany(ids);
    return Promise.all(
      posts.map(async (post, index) => {
        if (post !== null) return post;
        const gone = await removed.load(ids[index]);
        return gone !== null && maySeeRemoved(viewer, gone) ? gone : null;
      }),
    );
  });
}

/** The rendered body of posts by row id, deleted ones included: a post's fields stay readable once it was read. */
export function bodyHtmlLoader(db: Database): DataLoader<number, string> {
  return new DataLoader(async (ids) => {
    const rows = await db.prepared<{ id: number; bodyHtml: string }>(
      `SELECT id, body_html AS "bodyHtml" FROM post WHERE id = ANY($1::integer[])`,
      [ids],
    );
    return inKeyOrder<number, { id: number; bodyHtml: string }, string | Error>(
      ids,
      rows,
      (row) => row.id,
      (row) => row.bodyHtml,
      new NotFoundError('The post'),
    );
  });
}

/** Votes keyed `userId:postId`: the viewerVote of every watcher of one event in one statement. */
export function votesLoader(db: Database): DataLoader<string, 1 | -1 | null> {
  return new DataLoader(async (keys) => {
    const pairs = keys.map((key) => key.split(':').map(Number));
    const rows: Array<{ key: string; value: 1 | -1 }> = await db.query(
      `SELECT v.user_id || ':' || v.post_id AS key, v.value FROM vote v
         JOIN unnest($1::integer[], $2::integer[]) AS k(user_id, post_id) USING (user_id, post_id)`,
      [pairs.map(([userId]) => userId), pairs.map(([, postId]) => postId)],
    );
    return inKeyOrder(
      keys,
      rows,
      (row) => row.key,
      (row) => row.value,
      null,
    );
  });
}

/** Follows keyed `userId:questionId`, for every watcher of one event at once. */
export function followsLoader(db: Database): DataLoader<string, boolean> {
  return new DataLoader(async (keys) => {
    const pairs = keys.map((key) => key.split(':').map(Number));
    const rows: Array<{ key: string }> = await db.query(
      `SELECT f.user_id || ':' || f.question_id AS key FROM follow f
         JOIN unnest($1::integer[], $2::integer[]) AS k(user_id, question_id) USING (user_id, question_id)`,
      [pairs.map(([userId]) => userId), pairs.map(([, questionId]) => questionId)],
    );
    return inKeyOrder(
      keys,
      rows,
      (row) => row.key,
      () => true,
      false,
    );
  });
}

/** One viewer's view of a loader keyed `userId:id`: the same values, keyed by id alone. */
export function forViewer<V>(keyed: DataLoader<string, V>, userId: number): DataLoader<number, V> {
  return new DataLoader((ids) => keyed.loadMany(ids.map((id) => `${userId}:${id}`)));
}

/** What an anonymous viewer gets for every key: `value`, without a statement. */
export function always<V>(value: V): DataLoader<number, V> {
  return new DataLoader(async (ids) => ids.map(() => value));
}
