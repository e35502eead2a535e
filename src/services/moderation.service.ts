import type { Database, Transaction } from '../db/database.js';
import { CloseReason } from '../../entities/moderation-enums.js';
import type { Post } from '../../entities/post.entity.js';
import type { Question } from '../../entities/question.entity.js';
import type { Author } from '../auth/viewer.js';
import { BadUserInputError } from '../errors/index.js';
import type { PostRef } from '../ids.js';
import type { Realtime } from '../realtime/pubsub.js';
import { logAction } from './moderation-log.js';
import { authorize } from './policy.js';
import { lockLineage, restorePost } from './post-removal.js';
import { lockPost, updatePost } from './post-rows.js';
import { writeThread, type Announce } from './thread-write.js';

/** Closing, locking and undeleting: what moderators do to threads. Each action is logged with it. */
export class ModerationService {
  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<Realtime, 'publishThreadEvents' | 'publishNotifications'>,
  ) {}

  /**
   * Closes a question to new answers (closing a closed one changes its reason). DUPLICATE needs
   * `duplicateOfId`, another live question; no other reason takes one: BAD_USER_INPUT otherwise.
   */
  async close(
    viewer: Author,
    questionId: number,
    reason: CloseReason,
    duplicateOfId: number | null,
  ): Promise<Question> {
    if (reason === CloseReason.DUPLICATE && duplicateOfId === null) {
      throw new BadUserInputError('A DUPLICATE needs duplicateOfId', { field: 'duplicateOfId', rule: 'required' });
    }
    if (reason !== CloseReason.DUPLICATE && duplicateOfId !== null) {
      throw new BadUserInputError('Only a DUPLICATE takes duplicateOfId', {
        field: 'duplicateOfId',
        rule: 'duplicateOnly',
      });
    }
    if (duplicateOfId === questionId) {
      throw new BadUserInputError('A question cannot duplicate itself', { field: 'duplicateOfId', rule: 'self' });
    }
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const question = await lockQuestionFor(m, viewer, questionId, 'close');
      if (duplicateOfId !== null) {
        const live: unknown[] = await m.query(
          `SELECT 1 FROM post WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL`,
          [duplicateOfId],
        );
        if (live.length === 0) {
          throw new BadUserInputError('duplicateOfId must be a question that is not deleted', {
            field: 'duplicateOfId',
            rule: 'live',
          });
        }
      }
      const closed = await updatePost(
        m,
        'UPDATE post SET closed_at = now(), close_reason = $2, duplicate_of_id = $3 WHERE id = $1',
        [questionId, reason, duplicateOfId],
      );
      await acted(m, announce, viewer, question, 'QUESTION_CLOSED', reason);
      return closed as Question;
    });
  }

  /** Reopens a closed question, clearing its reason. Reopening an open question changes nothing. */
  async reopen(viewer: Author, questionId: number): Promise<Question> {
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const question = await lockQuestionFor(m, viewer, questionId, 'close');
      if (question.closedAt === null) return question;
      const reopened = await updatePost(
        m,
        'UPDATE post SET closed_at = NULL, close_reason = NULL, duplicate_of_id = NULL WHERE id = $1',
        [questionId],
      );
      await acted(m, announce, viewer, question, 'QUESTION_REOPENED');
      return reopened as Question;
    });
  }

  /**
   * Locks or unlocks a thread: every post of it, deleted ones included, carries the lock, so that
   * the policy decides on each from its own row. Idempotent.
   */
  async lock(viewer: Author, questionId: number, locked: boolean): Promise<Question> {
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const question = await lockQuestionFor(m, viewer, questionId, 'lock');
      if ((question.lockedAt !== null) === locked) return question;
      await m.query('UPDATE post SET locked_at = CASE WHEN $2 THEN now() END WHERE question_id = $1', [
        questionId,
        locked,
      ]);
      const changed = await updatePost(m, 'UPDATE post SET locked_at = CASE WHEN $2 THEN now() END WHERE id = $1', [
        questionId,
        locked,
      ]);
      await acted(m, announce, viewer, question, locked ? 'QUESTION_LOCKED' : 'QUESTION_UNLOCKED');
      return changed as Question;
    });
  }

  /** Restores a deleted post with what its deletion took (see {@link restorePost}). */
  async undelete(viewer: Author, target: PostRef): Promise<Post> {
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const lineage = await lockLineage(m, target.rowId, target.kind);
      authorize(viewer, 'undelete', lineage.post);
      // A hidden post never left its author, who was told nothing of it: its return is no news.
      const hidden = lineage.post.hiddenAt !== null;
      const restored = await restorePost(m, announce, lineage);
      await logAction(m, 'POST_UNDELETED', viewer.userId, { postId: restored.rowId });
      if (!hidden && restored.authorId !== viewer.userId)
        await announce.notifyUser(restored.authorId, restored.rowId, 'MODERATION');
      return restored;
    });
  }
}

async function lockQuestionFor(
  m: Transaction,
  viewer: Author,
  questionId: number,
  action: 'close' | 'lock',
): Promise<Question> {
  const question = await lockPost(m, questionId, 'question');
  authorize(viewer, action, question);
  return question;
}

/**
 * What every action on a question goes with: its thread event, its line in the log and, but for a
 * reopening or an unlocking, the author's notification.
 */
async function acted(
  m: Transaction,
  announce: Announce,
  viewer: Author,
  question: Question,
  kind: 'QUESTION_CLOSED' | 'QUESTION_REOPENED' | 'QUESTION_LOCKED' | 'QUESTION_UNLOCKED',
  reason?: string,
): Promise<void> {
  await announce.record(question.rowId, { kind, postId: question.rowId, postKind: 'question' });
  await logAction(m, kind, viewer.userId, { postId: question.rowId, reason });
  const news = kind === 'QUESTION_CLOSED' || kind === 'QUESTION_LOCKED';
  if (news && question.authorId !== viewer.userId)
    await announce.notifyUser(question.authorId, question.rowId, 'MODERATION');
}
