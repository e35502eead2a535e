import type { Database, Transaction } from '../db/database.js';
import { Answer } from '../../entities/answer.entity.js';
import type { Post } from '../../entities/post.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import type { Author } from '../auth/viewer.js';
import type { PostRef } from '../ids.js';
import { BadUserInputError } from '../errors/index.js';
import type { Realtime } from '../realtime/pubsub.js';
import { renderBody, saveMentions } from './body.js';
import { authorize } from './policy.js';
import { lockInThread, threadIdOf, touchThread, updatePost } from './post-rows.js';
import { foldsIntoNewest, graceSeconds, saveEdit, snapshotOf } from './revisions.js';
import { checkBody, checkTitle, normalizeTags } from './rules.js';
import { attachTags, detachTags } from './tags.js';
import { writeThread } from './thread-write.js';

/** What an edit changes; an absent (or null) field stays as it is. */
export interface PostEdit {
  body?: string | null;
  title?: string | null;
  tags?: readonly string[] | null;
}

/** Editing and deleting posts, as the policy allows. */
export class PostService {
  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<Realtime, 'publishThreadEvents' | 'publishNotifications'>,
  ) {}

  /**
   * Edits a post's body, and a question's title and tags; the thread becomes active, and the post as
   * saved becomes its newest revision (see {@link foldsIntoNewest}).
   */
  async edit(viewer: Author, target: PostRef, edit: PostEdit): Promise<Post> {
    const postId = target.rowId;
    if (edit.body == null && edit.title == null && edit.tags == null) {
      throw new BadUserInputError('Give at least one of body, title and tags', { field: 'input', rule: 'empty' });
    }
    const body = edit.body == null ? null : checkBody(edit.body);
    const title = edit.title == null ? null : checkTitle(edit.title);
    const tags = edit.tags == null ? null : normalizeTags(edit.tags);
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const snapshot = await snapshotOf(m);
      const post = await lockPostFor(m, viewer, target, 'edit');
      if (post.kind !== 'question' && (title !== null || tags !== null)) {
        const field = title !== null ? 'title' : 'tags';
        throw new BadUserInputError(`Only a question has ${field}`, { field, rule: 'questionOnly' });
      }
      const questionId = threadIdOf(post);
      await touchThread(m, questionId);
      let html: string | null = null;
      if (body !== null) {
        const rendered = await renderBody(m, body);
        html = rendered.html;
        await saveMentions(m, postId, rendered.mentionIds);
        await announce.notify(postId, rendered.mentionIds, 'edited');
      }
      if (tags !== null) {
        await detachTags(m, postId);
        await attachTags(m, postId, tags);
      }
      await announce.record(questionId, { kind: 'POST_EDITED', postId, postKind: post.kind });
      const folds = await foldsIntoNewest(m, postId, viewer.userId, snapshot);
      const edited = await updatePost(
        m,
        `UPDATE post SET body = coalesce($2, body), body_html = coalesce($3, body_html),
           title = coalesce($4, title), updated_at = now(), revision_count = revision_count + $5,
           edited_at = CASE WHEN now() >= created_at + make_interval(secs => $6) THEN now() ELSE edited_at END
         WHERE id = $1`,
        [postId, body, html, title, folds ? 0 : 1, graceSeconds],
      );
      await saveEdit(m, edited, viewer.userId, folds);
      return edited;
    });
  }

  /**
   * Soft-deletes a post with everything under it (a question's answers and replies, an answer's
   * replies). Counters, tag counts and the authors' reputation drop by what leaves; an accepted
   * answer that leaves is unaccepted.
   */
  async delete(viewer: Author, target: PostRef): Promise<Post> {
    const postId = target.rowId;
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const post = await lockPostFor(m, viewer, target, 'delete');
      const scope = { question: 'question_id', answer: 'answer_id', reply: 'id' }[post.kind];
      const [gone]: [Array<{ authorId: number; score: number }>, number] = await m.query(
        `UPDATE post SET deleted_at = now() WHERE (id = $1 OR ${scope} = $1) AND deleted_at IS NULL
         RETURNING author_id AS "authorId", score`,
        [postId],
      );
      await dropReputation(m, gone);
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
      await announce.record(threadIdOf(post), { kind: 'POST_DELETED', postId, postKind: post.kind });
      return post;
    });
  }
}

/** Locks the post in its thread, and checks that the policy lets the viewer take `action` on it. */
async function lockPostFor(m: Transaction, viewer: Author, target: PostRef, action: 'edit' | 'delete'): Promise<Post> {
  const post = await lockInThread(m, target.rowId, target.kind);
  authorize(viewer, action, post);
  return post;
}

/** Takes the scores of posts that left off their authors' reputation, in user id order. */
async function dropReputation(m: Transaction, gone: ReadonlyArray<{ authorId: number; score: number }>): Promise<void> {
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
