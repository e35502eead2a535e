import type { Transaction } from '../db/database.js';
import type { Post } from '../../entities/post.entity.js';

/**
 * Edits this soon after the newest revision, by its editor, fold into it, so typo fixes do not flood
 * the history; the same span after a post is written, edits do not mark it edited.
 */
export const graceSeconds = 300;

/** The post's row as it stands in this transaction, as the columns of a revision. */
const savedVersion = `SELECT p.id, p.title, p.body, p.body_html,
  coalesce((SELECT array_agg(t.name ORDER BY qt.position) FROM question_tag qt JOIN tag t ON t.id = qt.tag_id
             WHERE qt.question_id = p.id), '{}') AS tags
  FROM post p WHERE p.id = $1`;

/** Keeps a new post as its first revision, which is never replaced. */
export async function saveOriginal(m: Transaction, post: Post): Promise<void> {
  await m.query(
    `INSERT INTO post_revision (post_id, number, editor_id, title, body, body_html, tags, created_at)
     SELECT v.id, 1, $2, v.title, v.body, v.body_html, v.tags, $3 FROM (${savedVersion}) v`,
    [post.rowId, post.authorId, post.createdAt],
  );
}

/**
 * The transaction's view of which transactions had committed when it began: read it first thing, so
 * that an edit can tell a revision it could have seen from one saved concurrently.
 */
export async function snapshotOf(m: Transaction): Promise<string> {
  const [{ snapshot }]: Array<{ snapshot: string }> = await m.query('SELECT pg_current_snapshot()::text AS snapshot');
  return snapshot;
}

/**
 * Whether an edit folds into the post's newest revision instead of adding one: the newest is not the
 * original, the same editor saved it within the grace window, and it had committed when the edit's
 * transaction began. Concurrent edits thus each get a revision: the later commit is the post, the
 * earlier stays in the history.
 */
export async function foldsIntoNewest(
  m: Transaction,
  postId: number,
  editorId: number,
  snapshot: string,
): Promise<boolean> {
  const [newest]: Array<{ folds: boolean }> = await m.query(
    `SELECT number > 1 AND editor_id = $2 AND created_at > now() - make_interval(secs => $4)
            AND pg_visible_in_snapshot(saved_by, $3::pg_snapshot) AS folds
       FROM post_revision WHERE post_id = $1 ORDER BY number DESC LIMIT 1`,
    [postId, editorId, snapshot, graceSeconds],
  );
  return newest.folds;
}

/**
 * Saves the post as an edit just left it: a new revision numbered `revisionCount` (the post's
 * counter, already moved), or the newest one rewritten when the edit folds into it.
 */
export async function saveEdit(m: Transaction, post: Post, editorId: number, folds: boolean): Promise<void> {
  await m.query(
    folds
      ? `UPDATE post_revision r SET title = v.title, body = v.body, body_html = v.body_html, tags = v.tags,
           created_at = now(), saved_by = pg_current_xact_id()
           FROM (${savedVersion}) v WHERE r.post_id = v.id AND r.number = $3 AND r.editor_id = $2`
      : `INSERT INTO post_revision (post_id, number, editor_id, title, body, body_html, tags)
         SELECT v.id, $3, $2, v.title, v.body, v.body_html, v.tags FROM (${savedVersion}) v`,
    [post.rowId, editorId, post.revisionCount],
  );
}
