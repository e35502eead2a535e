import type { Database, Transaction } from '../db/database.js';
import type { Answer } from '../../entities/answer.entity.js';
import type { Reply } from '../../entities/reply.entity.js';
import type { Author } from '../auth/viewer.js';
import { NotFoundError } from '../errors/index.js';
import { renderBody, saveMentions } from './body.js';
import { authorize } from './policy.js';
import { insertPost, threadOf, touchThread } from './post-rows.js';
import type { Realtime } from '../realtime/pubsub.js';
import type { RateLimits } from './rate-limits.js';
import { saveOriginal } from './revisions.js';
import { checkBody } from './rules.js';
import { writeThread, type Announce } from './thread-write.js';

/** What the policy reads of the post answered or replied to; a post in a locked thread is locked too. */
type ThreadState = { authorId: number; closedAt: Date | null; lockedAt: Date | null };

/** Where a new answer or reply goes in its thread. */
interface ChildPost {
  kind: 'answer' | 'reply';
  question_id: number;
  answer_id?: number;
  locked_at: Date | null;
}

/**
 * Writes an answer or a reply whose parent was counted and authorized: the row, its first revision
 * and mentions, the notifications and the thread's event.
 */
async function writeChildPost(
  m: Transaction,
  announce: Announce,
  viewer: Author,
  post: ChildPost,
  body: string,
): Promise<Answer | Reply> {
  const rendered = await renderBody(m, body);
  const written = (await insertPost(m, { ...post, author_id: viewer.userId, body, body_html: rendered.html })) as
    Answer | Reply;
  await saveOriginal(m, written);
  await saveMentions(m, written.rowId, rendered.mentionIds);
  await announce.notify(written.rowId, rendered.mentionIds, 'written');
  const kind = post.kind === 'answer' ? 'ANSWER_ADDED' : 'REPLY_ADDED';
  await announce.record(post.question_id, { kind, postId: written.rowId, postKind: post.kind });
  return written;
}

/** Answering questions and replying to answers. */
export class AnswerService {
  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<Realtime, 'publishThreadEvents' | 'publishNotifications'>,
    private readonly rateLimits: Pick<RateLimits, 'post'>,
  ) {}

  /** Answers a live question: its answer count and activity move in the same transaction. */
  async answer(viewer: Author, questionId: number, input: { body: string }): Promise<Answer> {
    await this.rateLimits.post(viewer.userId);
    const body = checkBody(input.body);
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const [counted]: [ThreadState[], number] = await m.query(
        `UPDATE post SET answer_count = answer_count + 1, last_activity_at = now()
          WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL
          RETURNING author_id AS "authorId", closed_at AS "closedAt", locked_at AS "lockedAt"`,
        [questionId],
      );
      if (counted.length === 0) throw new NotFoundError('The question');
      authorize(viewer, 'answer', counted[0]);
      const post = { kind: 'answer' as const, question_id: questionId, locked_at: counted[0].lockedAt };
      return (await writeChildPost(m, announce, viewer, post, body)) as Answer;
    });
  }

  /** Replies under a live answer: its reply count and the thread's activity move with it. */
  async reply(viewer: Author, answerId: number, input: { body: string }): Promise<Reply> {
    await this.rateLimits.post(viewer.userId);
    const body = checkBody(input.body);
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const questionId = await threadOf(m, answerId, 'answer');
      await touchThread(m, questionId);
      const [counted]: [ThreadState[], number] = await m.query(
        `UPDATE post SET reply_count = reply_count + 1
          WHERE id = $1 AND kind = 'answer' AND deleted_at IS NULL
          RETURNING author_id AS "authorId", closed_at AS "closedAt", locked_at AS "lockedAt"`,
        [answerId],
      );
      if (counted.length === 0) throw new NotFoundError('The answer');
      authorize(viewer, 'reply', counted[0]);
      const post = {
        kind: 'reply' as const,
        question_id: questionId,
        answer_id: answerId,
        locked_at: counted[0].lockedAt,
      };
      return (await writeChildPost(m, announce, viewer, post, body)) as Reply;
    });
  }
}
