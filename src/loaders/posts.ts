import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Post } from '../../entities/post.entity.js';
import { inKeyOrder } from './batch.js';
import { postReadColumns, type PostReader, type PostReadRow } from './rows.js';

/** Posts that are not deleted, by row id: a question, an answer or a reply, as its own class. */
export function postLoader(db: DataSource, reader: PostReader): DataLoader<number, Post | null> {
  const { select, join } = postReadColumns('$2');
  return new DataLoader(async (ids) => {
    const rows: PostReadRow[] = await db.query(
      `SELECT ${select} FROM post p ${join} WHERE p.id = ANY($1::integer[]) AND p.deleted_at IS NULL`,
      [ids, reader.viewerId],
    );
    return inKeyOrder(ids, rows, (row) => row.rowId as number, reader.read, null);
  });
}

/** The viewer's vote on each post (+1, -1, or null): one statement per page level. */
export function viewerVoteLoader(db: DataSource, userId: number | null): DataLoader<number, 1 | -1 | null> {
  return new DataLoader(async (postIds) => {
    if (userId === null) return postIds.map(() => null);
    const rows: Array<{ postId: number; value: 1 | -1 }> = await db.query(
      `SELECT post_id AS "postId", value FROM vote WHERE user_id = $1 AND post_id = ANY($2::integer[])`,
      [userId, postIds],
    );
    return inKeyOrder(
      postIds,
      rows,
      (row) => row.postId,
      (row) => row.value,
      null,
    );
  });
}

/** Whether the viewer follows each question. */
export function viewerFollowsLoader(db: DataSource, userId: number | null): DataLoader<number, boolean> {
  return new DataLoader(async (questionIds) => {
    if (userId === null) return questionIds.map(() => false);
    const rows: Array<{ questionId: number }> = await db.query(
      `SELECT question_id AS "questionId" FROM follow WHERE user_id = $1 AND question_id = ANY($2::integer[])`,
      [userId, questionIds],
    );
    return inKeyOrder(
      questionIds,
      rows,
      (row) => row.questionId,
      () => true,
      false,
    );
  });
}

/** Votes keyed `userId:postId`: the viewerVote of every watcher of one event in one statement. */
export function votesLoader(db: DataSource): DataLoader<string, 1 | -1 | null> {
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
export function followsLoader(db: DataSource): DataLoader<string, boolean> {
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
