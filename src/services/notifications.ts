import type { Transaction } from '../db/database.js';
import type { NotificationMessage } from '../realtime/topics.js';

/**
 * Notifies, in the transaction that writes a post, the users it concerns: those it @mentions, the
 * author of the answer it replies to, the author of the question it answers, the thread's
 * followers. One notification per user per post, of the most specific kind; never its own author.
 * An edit notifies only the mentions it adds.
 */
export async function notifyAbout(
  m: Transaction,
  postId: number,
  mentionIds: readonly number[],
  cause: 'written' | 'edited',
): Promise<NotificationMessage[]> {
  const rows: Array<Omit<NotificationMessage, 'createdAt'> & { createdAt: Date }> = await m.query(
    `WITH p AS (SELECT id, kind, author_id, coalesce(question_id, id) AS question_id, answer_id FROM post WHERE id = $1),
     candidates AS (
       SELECT unnest($2::integer[]) AS user_id, 'MENTION' AS kind, 1 AS rank
       UNION ALL
       SELECT a.author_id, 'REPLY_TO_YOUR_ANSWER', 2 FROM p JOIN post a ON a.id = p.answer_id WHERE $3
       UNION ALL
       SELECT q.author_id, 'ANSWER_TO_YOUR_QUESTION', 3 FROM p JOIN post q ON q.id = p.question_id
        WHERE p.kind = 'answer' AND $3
       UNION ALL
       SELECT f.user_id, 'ACTIVITY_ON_FOLLOWED_QUESTION', 4 FROM p JOIN follow f ON f.question_id = p.question_id
        WHERE p.kind <> 'question' AND $3)
     INSERT INTO notification (user_id, kind, post_id)
     SELECT DISTINCT ON (c.user_id) c.user_id, c.kind, p.id FROM candidates c CROSS JOIN p
      WHERE c.user_id <> p.author_id ORDER BY c.user_id, c.rank
     ON CONFLICT (user_id, post_id) DO NOTHING
     RETURNING id, user_id AS "userId", kind, post_id AS "postId", created_at AS "createdAt"`,
    [postId, mentionIds, cause === 'written'],
  );
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

/**
 * Notifies one user of a post in the transaction that acts on it: the author of an accepted answer,
 * or the author whose post a moderator acted on. It takes the place of an earlier notification of
 * theirs about that post, unread again.
 */
export async function notifyUser(
  m: Transaction,
  userId: number,
  postId: number,
  kind: 'ANSWER_ACCEPTED' | 'MODERATION',
): Promise<NotificationMessage[]> {
  const rows: Array<Omit<NotificationMessage, 'createdAt'> & { createdAt: Date }> = await m.query(
    `INSERT INTO notification (user_id, kind, post_id) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, post_id) DO UPDATE SET kind = excluded.kind, created_at = now(), read_at = NULL
     RETURNING id, user_id AS "userId", kind, post_id AS "postId", created_at AS "createdAt"`,
    [userId, kind, postId],
  );
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
