import type { Transaction } from '../db/database.js';
import { Answer } from '../../entities/answer.entity.js';
import type { Post, PostKind } from '../../entities/post.entity.js';
import type { Question } from '../../entities/question.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import { NotFoundError } from '../errors/index.js';
import { postColumns, postSelect, selectList, toPost, type PostRow } from '../db/rows.js';

const postReturning = selectList(postColumns);

/** The entity class of each kind of post. */
export type PostOf<K extends PostKind> = { question: Question; answer: Answer; reply: Reply }[K];

const names: Record<PostKind, string> = { question: 'The question', answer: 'The answer', reply: 'The reply' };

/** NOT_FOUND for a post (of `kind`, when given) that is absent, deleted or of another kind. */
export function postNotFound(kind?: PostKind): NotFoundError {
  return new NotFoundError(kind ? names[kind] : 'The post');
}

/**
 * Reads a live post (of `kind`, when given) and locks its row until the transaction ends;
 * NOT_FOUND when absent, deleted or of another kind.
 */
export async function lockPost<K extends PostKind>(m: Transaction, rowId: number, kind?: K): Promise<PostOf<K>> {
  const rows: PostRow[] = await m.query(
    `SELECT ${postSelect} FROM post p
      WHERE p.id = $1 AND p.deleted_at IS NULL AND ($2::text IS NULL OR p.kind = $2) FOR UPDATE`,
    [rowId, kind ?? null],
  );
  if (rows.length === 0) throw postNotFound(kind);
  return toPost(rows[0]) as PostOf<K>;
}

/**
 * Locks a live post (of `kind`, when given) and its thread's question in one statement, the question
 * first as every thread write does: a question's id is lower than the id of any post under it.
 * NOT_FOUND when the post is absent, deleted or of another kind.
 */
export async function lockInThread<K extends PostKind>(m: Transaction, rowId: number, kind?: K): Promise<PostOf<K>> {
  const rows = await m.prepared<PostRow>(
    `SELECT ${postSelect} FROM post p
      WHERE p.id IN ($1, (SELECT question_id FROM post WHERE id = $1)) AND p.deleted_at IS NULL
      ORDER BY p.id FOR UPDATE`,
    [rowId],
  );
  const row = rows.find((candidate) => candidate.rowId === rowId);
  if (row === undefined || (kind !== undefined && row.kind !== kind)) {
    throw postNotFound(kind);
  }
  return toPost(row) as PostOf<K>;
}

/** The question a post belongs to: itself for a question. */
export function threadIdOf(post: Post): number {
  return post instanceof Answer || post instanceof Reply ? post.questionId : post.rowId;
}

/** Runs an UPDATE … RETURNING over post rows and gives the first row back as its entity. */
export async function updatePost(m: Transaction, sql: string, params: unknown[]): Promise<Post> {
  const [rows]: [PostRow[], number] = await m.query(`${sql} RETURNING ${postReturning}`, params);
  return toPost(rows[0]);
}

/** Inserts a post and returns it as its entity. */
export async function insertPost(m: Transaction, values: Record<string, unknown>): Promise<Post> {
  const columns = Object.keys(values);
  const rows: PostRow[] = await m.query(
    `INSERT INTO post (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
     RETURNING ${postReturning}`,
    Object.values(values),
  );
  return toPost(rows[0]);
}

/** Marks the thread as active now (an answer, a reply or an edit happened in it). */
export async function touchThread(m: Transaction, questionId: number): Promise<void> {
  const [rows]: [unknown[], number] = await m.query(
    'UPDATE post SET last_activity_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id',
    [questionId],
  );
  if (rows.length === 0) throw new NotFoundError('The question');
}

/**
 * The question a post belongs to (itself for a question), read without locking: writers lock the
 * question before the posts under it, so that concurrent writes in one thread never deadlock.
 */
export async function threadOf(m: Transaction, rowId: number, kind?: PostKind): Promise<number> {
  const rows: Array<{ questionId: number }> = await m.query(
    `SELECT coalesce(question_id, id) AS "questionId" FROM post
      WHERE id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR kind = $2)`,
    [rowId, kind ?? null],
  );
  if (rows.length === 0) throw postNotFound(kind);
  return rows[0].questionId;
}
