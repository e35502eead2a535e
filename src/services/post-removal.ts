import type { Transaction } from '../db/database.js';
import { Answer } from '../../entities/answer.entity.js';
import type { Post, PostKind } from '../../entities/post.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import { BadUserInputError } from '../errors/index.js';
import { postSelect, toPost, type PostRow } from '../db/rows.js';
import { postNotFound, threadIdOf } from './post-rows.js';
import { attachTags, detachTags } from './tags.js';
import type { ThreadChange } from '../realtime/outbox.js';
import type { EventAudience } from '../realtime/topics.js';
import type { Announce } from './thread-write.js';

/** The column that ties the posts under a post of each kind to it (a reply has none under it). */
const scopeOf: Record<PostKind, string> = { question: 'question_id', answer: 'answer_id', reply: 'id' };

/** A post, deleted or not, and its thread's question and answer above it, locked in thread order. */
export interface LockedLineage {
  post: Post;
  /** The posts above it, live or not: its question, and a reply's answer. */
  above: Post[];
}

/**
 * Locks a post whether deleted or not, with the posts above it, in id order (the question first, as
 * every thread write locks them). NOT_FOUND when absent or of another kind than `kind`.
 */
export async function lockLineage(m: Transaction, rowId: number, kind?: PostKind): Promise<LockedLineage> {
  const rows: PostRow[] = await m.query(
    `SELECT ${postSelect} FROM post p
      WHERE p.id IN ($1, (SELECT question_id FROM post WHERE id = $1), (SELECT answer_id FROM post WHERE id = $1))
      ORDER BY p.id FOR UPDATE`,
    [rowId],
  );
  const posts = rows.map(toPost);
  const post = posts.find((candidate) => candidate.rowId === rowId);
  if (post === undefined || (kind !== undefined && post.kind !== kind)) throw postNotFound(kind);
  return { post, above: posts.filter((candidate) => candidate !== post) };
}

/**
 * Soft-deletes a post with everything under it (a question's answers and replies, an answer's
 * replies) that is not deleted yet. Counters, tag counts and the authors' reputation drop by what
 * leaves; an accepted answer that leaves is unaccepted. `hidden`: members' flags took it, until a
 * moderator resolves them; its author and moderators still read it, so its POST_DELETED is not theirs.
 */
export async function removePost(m: Transaction, announce: Announce, post: Post, hidden = false): Promise<void> {
  const postId = post.rowId;
  const [gone]: [Array<{ authorId: number; score: number }>, number] = await m.query(
    `UPDATE post SET deleted_at = now(), hidden_at = CASE WHEN $2 THEN now() END
      WHERE (id = $1 OR ${scopeOf[post.kind]} = $1) AND deleted_at IS NULL
      RETURNING author_id AS "authorId", score`,
    [postId, hidden],
  );
  await moveReputation(m, gone, -1);
  if (post.kind === 'question') await detachTags(m, postId);
  if (post instanceof Answer) {
    const [[question]]: [Array<{ acceptedAnswerId: number | null }>, number] = await m.query(
      `UPDATE post SET answer_count = answer_count - 1 WHERE id = $1 RETURNING accepted_answer_id AS "acceptedAnswerId"`,
      [post.questionId],
    );
    if (question.acceptedAnswerId === postId) {
      await m.query('UPDATE post SET accepted_answer_id = NULL WHERE id = $1', [post.questionId]);
      await announce.record(post.questionId, { kind: 'ANSWER_UNACCEPTED', postId, postKind: 'answer' });
    }
  }
  if (post instanceof Reply) {
    await m.query('UPDATE post SET reply_count = reply_count - 1 WHERE id = $1', [post.answerId]);
  }
  await announce.record(threadIdOf(post), deletionOf(post, hidden ? 'others' : undefined));
}

/**
 * The POST_DELETED of `post`: for every watcher or, for a hidden post, for `audience` only: `others`,
 * everyone but those who still read it (its author and moderators), `readers`, them alone (see
 * ThreadEventMessage.audience).
 */
export function deletionOf(post: Post, audience?: EventAudience): ThreadChange {
  const change: ThreadChange = { kind: 'POST_DELETED', postId: post.rowId, postKind: post.kind };
  return audience === undefined ? change : { ...change, audience, authorId: post.authorId };
}

/**
 * Restores a deleted post and what its deletion took with it (the posts under it deleted in the same
 * transaction, not those deleted before): counters, a question's tags and the authors' reputation
 * come back as they were. The posts above it must be live: BAD_USER_INPUT otherwise, and for a post
 * that is not deleted.
 */
export async function restorePost(m: Transaction, announce: Announce, lineage: LockedLineage): Promise<Post> {
  const { post, above } = lineage;
  if (post.deletedAt === null) {
    throw new BadUserInputError('The post is not deleted', { field: 'id', rule: 'notDeleted' });
  }
  if (above.some((parent) => parent.deletedAt !== null)) {
    throw new BadUserInputError('The post above it is deleted: undelete that first', {
      field: 'id',
      rule: 'parentDeleted',
    });
  }
  const [back]: [Array<{ authorId: number; score: number }>, number] = await m.query(
    `UPDATE post SET deleted_at = NULL, hidden_at = NULL
      WHERE (id = $1 OR ${scopeOf[post.kind]} = $1) AND deleted_at = $2 RETURNING author_id AS "authorId", score`,
    [post.rowId, post.deletedAt],
  );
  await moveReputation(m, back, 1);
  if (post.kind === 'question') {
    const [{ tags }]: Array<{ tags: string[] }> = await m.query(
      'SELECT tags FROM post_revision WHERE post_id = $1 ORDER BY number DESC LIMIT 1',
      [post.rowId],
    );
    await attachTags(m, post.rowId, tags);
  }
  if (post instanceof Answer) {
    await m.query('UPDATE post SET answer_count = answer_count + 1 WHERE id = $1', [post.questionId]);
  }
  if (post instanceof Reply) {
    await m.query('UPDATE post SET reply_count = reply_count + 1 WHERE id = $1', [post.answerId]);
  }
  // Every watcher's, a hidden post's too: its readers may have loaded the thread while it was hidden,
  // and thread pages list it to no one then.
  await announce.record(threadIdOf(post), { kind: 'POST_RESTORED', postId: post.rowId, postKind: post.kind });
  return Object.assign(post, { deletedAt: null, hiddenAt: null });
}

/** Moves the scores of posts that left (`sign` -1) or came back (+1) in their authors' reputation, in user id order. */
async function moveReputation(
  m: Transaction,
  posts: ReadonlyArray<{ authorId: number; score: number }>,
  sign: 1 | -1,
): Promise<void> {
  const byAuthor = new Map<number, number>();
  for (const { authorId, score } of posts) byAuthor.set(authorId, (byAuthor.get(authorId) ?? 0) + score);
  const authors = [...byAuthor.keys()].filter((id) => byAuthor.get(id) !== 0).sort((a, b) => a - b);
  if (authors.length === 0) return;
  await m.query(
    `UPDATE "user" u SET reputation = u.reputation + d.total
       FROM unnest($1::integer[], $2::integer[]) AS d(user_id, total) WHERE u.id = d.user_id`,
    [authors, authors.map((id) => sign * (byAuthor.get(id) ?? 0))],
  );
}
