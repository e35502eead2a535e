import type { Database } from '../db/database.js';
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
import { writeThread } from './thread-write.js';

/** What the policy reads of the post answered or replied to; a post in a locked thread is locked too. */
type ThreadState = { authorId: number; closedAt: Date | null; lockedAt: Date | null };

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
      const rendered = await renderBody(m, body);
      const answer = (await insertPost(m, {
        kind: 'answer',
        question_id: questionId,
        author_id: viewer.userId,
        body,
        body_html: rendered.html,
        locked_at: counted[0].lockedAt,
      })) as Answer;
      await saveOriginal(m, answer);
      await saveMentions(m, answer.rowId, rendered.mentionIds);
      await announce.notify(answer.rowId, rendered.mentionIds, 'written');
      await announce.record(questionId, { kind: 'ANSWER_ADDED', postId: answer.rowId, postKind: 'answer' });
      return answer;
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
      const rendered = await renderBody(m, body);
      const reply = (await insertPost(m, {
        kind: 'reply',
        question_id: questionId,
        answer_id: answerId,
        author_id: viewer.userId,
        body,
        body_html: rendered.html,
        locked_at: counted[0].lockedAt,
      })) as Reply;
      await saveOriginal(m, reply);
      await saveMentions(m, reply.rowId, rendered.mentionIds);
      await announce.notify(reply.rowId, rendered.mentionIds, 'written');
      await announce.record(questionId, { kind: 'REPLY_ADDED', postId: reply.rowId, postKind: 'reply' });
      return reply;
    });
  }
}
