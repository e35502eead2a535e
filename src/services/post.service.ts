import type { DataSource, EntityManager } from 'typeorm';
import { Answer } from '../../entities/answer.entity.js';
import type { Post } from '../../entities/post.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import type { Author } from '../auth/viewer.js';
import { inTransaction } from '../db/transaction.js';
import { BadUserInputError, ForbiddenError } from '../errors/index.js';
import { renderBody, saveMentions } from './body.js';
import { lockPost, threadOf, touchThread, updatePost } from './post-rows.js';
import { checkBody, checkTitle, normalizeTags } from './rules.js';
import { attachTags, detachTags } from './tags.js';

/** What an edit changes; an absent (or null) field stays as it is. */
export interface PostEdit {
  body?: string | null;
  title?: string | null;
  tags?: readonly string[] | null;
}

/** Editing and deleting posts: their author only. */
export class PostService {
  constructor(private readonly db: DataSource) {}

  /** Edits a post's body, and a question's title and tags; the thread becomes active. */
  async edit(viewer: Author, postId: number, edit: PostEdit): Promise<Post> {
    if (edit.body == null && edit.title == null && edit.tags == null) {
      throw new BadUserInputError('Give at least one of body, title and tags', { field: 'input', rule: 'empty' });
    }
    const body = edit.body == null ? null : checkBody(edit.body);
    const title = edit.title == null ? null : checkTitle(edit.title);
    const tags = edit.tags == null ? null : normalizeTags(edit.tags);
    return inTransaction(this.db, async (m) => {
      const post = await lockOwnPost(m, viewer, postId, 'edit');
      if (post.kind !== 'question' && (title !== null || tags !== null)) {
        const field = title !== null ? 'title' : 'tags';
        throw new BadUserInputError(`Only a question has ${field}`, { field, rule: 'questionOnly' });
      }
      await touchThread(m, post.kind === 'question' ? post.rowId : (post as Answer | Reply).questionId);
      let html: string | null = null;
      if (body !== null) {
        const rendered = await renderBody(m, body);
        html = rendered.html;
        await saveMentions(m, postId, rendered.mentionIds);
      }
      if (tags !== null) {
        await detachTags(m, postId);
        await attachTags(m, postId, tags);
      }
      return updatePost(
        m,
        `UPDATE post SET body = coalesce($2, body), body_html = coalesce($3, body_html),
           title = coalesce($4, title), updated_at = now() WHERE id = $1`,
        [postId, body, html, title],
      );
    });
  }

  /**
   * Soft-deletes a post with everything under it (a question's answers and replies, an answer's
   * replies). Counters, tag counts and the authors' reputation drop by what leaves; an accepted
   * answer that leaves is unaccepted.
   */
  async delete(viewer: Author, postId: number): Promise<Post> {
    return inTransaction(this.db, async (m) => {
      const post = await lockOwnPost(m, viewer, postId, 'delete');
      const scope = { question: 'question_id', answer: 'answer_id', reply: 'id' }[post.kind];
      const [gone]: [Array<{ authorId: number; score: number }>, number] = await m.query(
        `UPDATE post SET deleted_at = now() WHERE (id = $1 OR ${scope} = $1) AND deleted_at IS NULL
         RETURNING author_id AS "authorId", score`,
        [postId],
      );
      await dropReputation(m, gone);
      if (post.kind === 'question') await detachTags(m, postId);
      if (post instanceof Answer) {
        await m.query(
          `UPDATE post SET answer_count = answer_count - 1,
             accepted_answer_id = nullif(accepted_answer_id, $2) WHERE id = $1`,
          [post.questionId, postId],
        );
      }
      if (post instanceof Reply) {
        await m.query('UPDATE post SET reply_count = reply_count - 1 WHERE id = $1', [post.answerId]);
      }
      return post;
    });
  }
}

/**
 * Locks the thread's question, then the post (the order every thread write follows), and checks
 * that the viewer wrote the post.
 */
async function lockOwnPost(m: EntityManager, viewer: Author, postId: number, action: string): Promise<Post> {
  await lockPost(m, await threadOf(m, postId), 'question');
  const post = await lockPost(m, postId);
  if (post.authorId !== viewer.userId) throw new ForbiddenError(`Only its author may ${action} this post`);
  return post;
}

/** Takes the scores of posts that left off their authors' reputation, in user id order. */
async function dropReputation(
  m: EntityManager,
  gone: ReadonlyArray<{ authorId: number; score: number }>,
): Promise<void> {
  const byAuthor = new Map<number, number>();
  for (const { authorId, score } of gone) byAuthor.set(authorId, (byAuthor.get(authorId) ?? 0) + score);
  const authors = [...byAuthor.keys()].filter((id) => byAuthor.get(id) !== 0).sort((a, b) => a - b);
  if (authors.length === 0) return;
  await m.query(
    `UPDATE "user" u SET reputation = u.reputation - d.total
       FROM unnest($1::integer[], $2::integer[]) AS d(user_id, total) WHERE u.id = d.user_id`,
    [authors, authors.map((id) => byAuthor.get(id))],
  );
}
