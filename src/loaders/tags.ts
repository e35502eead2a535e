import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Tag } from '../../entities/tag.entity.js';
import { groupedInKeyOrder, inKeyOrder } from './batch.js';
import { tagSelect, toTag } from '../db/rows.js';

/** The tags of each question, in the order the author gave them. */
export function tagsOfQuestionLoader(db: Database): DataLoader<number, Tag[]> {
  return new DataLoader(async (questionIds) => {
    const rows = await db.prepared(
      `SELECT qt.question_id AS "questionId", ${tagSelect} FROM question_tag qt JOIN tag t ON t.id = qt.tag_id
        WHERE qt.question_id = ANY($1::integer[]) ORDER BY qt.question_id, qt.position`,
      [questionIds],
    );
    return groupedInKeyOrder(questionIds, rows, (row) => row.questionId as number, toTag);
  });
}

/** Tags by name (keys already normalized to lower case). */
export function tagByNameLoader(db: Database): DataLoader<string, Tag | null> {
  return new DataLoader(async (names) => {
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT ${tagSelect} FROM tag t WHERE t.name = ANY($1::text[])`,
      [names],
    );
    return inKeyOrder(names, rows, (row) => row.name as string, toTag, null);
  });
}

/** Tags by row id. */
export function tagLoader(db: Database): DataLoader<number, Tag | null> {
  return new DataLoader(async (ids) => {
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT ${tagSelect} FROM tag t WHERE t.id = ANY($1::integer[])`,
      [ids],
    );
    return inKeyOrder(ids, rows, (row) => row.rowId as number, toTag, null);
  });
}
