import type { Database } from './database.js';

/** One stored counter that differs from what its rows say. */
export interface Drift {
  what: string;
  id: number;
  stored: number;
  actual: number;
}

/** Each counter, as stored and as recomputed from the rows it counts. */
const checks: Array<{ what: string; sql: string }> = [
  {
    what: 'post.score',
    sql: `SELECT p.id, p.score AS stored, coalesce(sum(v.value), 0)::integer AS actual
            FROM post p LEFT JOIN vote v ON v.post_id = p.id GROUP BY p.id`,
  },
  {
    what: 'user.reputation',
    sql: `SELECT u.id, u.reputation AS stored, coalesce(sum(p.score), 0)::integer AS actual
            FROM "user" u LEFT JOIN post p ON p.author_id = u.id AND p.deleted_at IS NULL GROUP BY u.id`,
  },
  {
    what: 'question.answer_count',
    sql: `SELECT q.id, q.answer_count AS stored, count(a.id)::integer AS actual FROM post q
            LEFT JOIN post a ON a.question_id = q.id AND a.kind = 'answer' AND a.deleted_at IS NULL
           WHERE q.kind = 'question' AND q.deleted_at IS NULL GROUP BY q.id`,
  },
  {
    what: 'answer.reply_count',
    sql: `SELECT a.id, a.reply_count AS stored, count(r.id)::integer AS actual FROM post a
            LEFT JOIN post r ON r.answer_id = a.id AND r.deleted_at IS NULL
           WHERE a.kind = 'answer' AND a.deleted_at IS NULL GROUP BY a.id`,
  },
  {
    what: 'question.follower_count',
    sql: `SELECT q.id, q.follower_count AS stored, count(f.user_id)::integer AS actual FROM post q
            LEFT JOIN follow f ON f.question_id = q.id WHERE q.kind = 'question' AND q.deleted_at IS NULL GROUP BY q.id`,
  },
  {
    what: 'post.revision_count',
    sql: `SELECT p.id, p.revision_count AS stored, count(r.number)::integer AS actual
            FROM post p LEFT JOIN post_revision r ON r.post_id = p.id GROUP BY p.id`,
  },
  {
    what: 'tag.question_count',
    sql: `SELECT t.id, t.question_count AS stored, count(q.id)::integer AS actual FROM tag t
            LEFT JOIN question_tag qt ON qt.tag_id = t.id
            LEFT JOIN post q ON q.id = qt.question_id AND q.deleted_at IS NULL GROUP BY t.id`,
  },
  {
    // A post that flags hid (with what is under it) has an open flag until a moderator resolves it.
    what: 'post.hidden_at',
    sql: `SELECT p.id, 1 AS stored, (EXISTS (SELECT FROM flag f WHERE f.status = 'OPEN'
            AND f.post_id IN (p.id, p.question_id, p.answer_id)))::integer AS actual
            FROM post p WHERE p.hidden_at IS NOT NULL`,
  },
  {
    what: 'question.duplicate_of_id',
    sql: `SELECT q.id, 1 AS stored, count(d.id)::integer AS actual FROM post q
            LEFT JOIN post d ON d.id = q.duplicate_of_id AND d.kind = 'question'
           WHERE q.duplicate_of_id IS NOT NULL GROUP BY q.id`,
  },
];

/** Recomputes every score, reputation and counter from the rows; an empty list means no drift. */
export async function findDrift(db: Database): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const { what, sql } of checks) {
    const rows: Array<{ id: number; stored: number; actual: number }> = await db.query(
      `SELECT * FROM (${sql}) c WHERE c.stored <> c.actual ORDER BY c.id`,
    );
    drift.push(...rows.map((row) => ({ what, ...row })));
  }
  return drift;
}
