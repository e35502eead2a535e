import type { Database, Transaction } from '../db/database.js';
import type { Post } from '../../entities/post.entity.js';
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
import { logAction } from './moderation-log.js';
import { removePost } from './post-removal.js';
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
      if (post.authorId !== viewer.userId) await logAction(m, 'POST_EDITED', viewer.userId, { postId });
      return edited;
    });
  }

  /**
   * Soft-deletes a post with everything under it (see {@link removePost}). A moderator's deletion of
   * someone else's post is logged, and its author notified.
   */
  async delete(viewer: Author, target: PostRef): Promise<Post> {
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const post = await lockPostFor(m, viewer, target, 'delete');
      await removePost(m, announce, post);
      if (post.authorId !== viewer.userId) {
        await logAction(m, 'POST_DELETED', viewer.userId, { postId: post.rowId });
        await announce.notifyUser(post.authorId, post.rowId, 'MODERATION');
      }
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
