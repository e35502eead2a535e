import type { Database } from '../db/database.js';
import type { Question } from '../../entities/question.entity.js';
import type { Tag } from '../../entities/tag.entity.js';
import { questionOrderings, tagOrdering } from './orderings.js';
import { afterCondition, decodeCursor, orderBy, toPage, type Page, type PageArgs } from './pagination.js';
import { postReadColumns, tagSelect, toTag, type PostReader, type PostReadRow } from '../db/rows.js';

/** A page of the questions, optionally of one tag, in one of the contract's orders. */
export async function questionPage(
  db: Database,
  reader: PostReader,
  args: PageArgs & { order: keyof typeof questionOrderings; tagId?: number },
): Promise<Page<Question>> {
  const ordering = questionOrderings[args.order];
  const filterParams: unknown[] = [];
  const where = [`p.kind = 'question'`, 'p.deleted_at IS NULL'];
  if (args.tagId !== undefined) {
    filterParams.push(args.tagId);
    where.push('EXISTS (SELECT 1 FROM question_tag qt WHERE qt.question_id = p.id AND qt.tag_id = $1)');
  }
  if (args.order === 'UNANSWERED') where.push('p.answer_count = 0');
  const filter = where.join(' AND ');
  const scope = args.tagId === undefined ? 'questions' : `questions of tag ${args.tagId}`;
  const params = [...filterParams, args.first + 1, reader.viewerId];
  const limit = `$${params.length - 1}`;
  const { select, join } = postReadColumns(`$${params.length}`);
  let condition = filter;
  if (args.after != null) {
    const base = params.length;
    params.push(...decodeCursor(ordering, scope, args.after));
    condition += ` AND ${afterCondition(ordering, 'p', (i) => `$${base + i + 1}`)}`;
  }
  const rows: PostReadRow[] = await db.query(
    `SELECT ${select} FROM post p ${join} WHERE ${condition} ORDER BY ${orderBy(ordering, 'p')} LIMIT ${limit}`,
    params,
  );
  const count = async (): Promise<number> => {
    const [{ total }]: Array<{ total: number }> = await db.query(
      `SELECT count(*)::integer AS total FROM post p WHERE ${filter}`,
      filterParams,
    );
    return total;
  };
  return toPage(ordering, scope, rows, args, (row) => reader.read(row) as Question, count);
}

/** A page of the tags in use, most used first, optionally only those starting with `prefix`. */
export async function tagPage(db: Database, args: PageArgs & { prefix?: string }): Promise<Page<Tag>> {
  const prefix = (args.prefix ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`);
  const params: unknown[] = [args.first + 1, `${prefix}%`];
  const scope = `tags ${prefix}`;
  const where = ['t.question_count > 0', 't.name LIKE $2'];
  if (args.after != null) {
    const values = decodeCursor(tagOrdering, scope, args.after);
    params.push(...values);
    where.push(afterCondition(tagOrdering, 't', (i) => `$${i + 3}`));
  }
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT ${tagSelect} FROM tag t WHERE ${where.join(' AND ')} ORDER BY ${orderBy(tagOrdering, 't')} LIMIT $1`,
    params,
  );
  const count = async (): Promise<number> => {
    const [{ total }]: Array<{ total: number }> = await db.query(
      `SELECT count(*)::integer AS total FROM tag t WHERE t.question_count > 0 AND t.name LIKE $1`,
      [`${prefix}%`],
    );
    return total;
  };
  return toPage(tagOrdering, scope, rows, args, toTag, count);
}
