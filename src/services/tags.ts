import type { Transaction } from '../db/database.js';

/**
 * Puts `names` on a question in that order, creating tags as needed and counting the question in
 * each. Tags are upserted in name order so concurrent askers lock them in the same order.
 */
export async function attachTags(m: Transaction, questionId: number, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const rows: Array<{ id: number; name: string }> = await m.query(
    `INSERT INTO tag (name, question_count) SELECT name, 1 FROM unnest($1::text[]) AS t(name) ORDER BY name
     ON CONFLICT (name) DO UPDATE SET question_count = tag.question_count + 1 RETURNING id, name`,
    [names],
  );
  const idOf = new Map(rows.map((row) => [row.name, row.id]));
  await m.query(
    `INSERT INTO question_tag (question_id, tag_id, position)
     SELECT $1, tag_id, position FROM unnest($2::integer[]) WITH ORDINALITY AS t(tag_id, position)`,
    [questionId, names.map((name) => idOf.get(name))],
  );
}

/** Takes every tag off a question and uncounts the question in each. */
export async function detachTags(m: Transaction, questionId: number): Promise<void> {
  await m.query(
    `WITH gone AS (DELETE FROM question_tag WHERE question_id = $1 RETURNING tag_id)
     UPDATE tag SET question_count = question_count - 1 WHERE id IN (SELECT tag_id FROM gone)`,
    [questionId],
  );
}
