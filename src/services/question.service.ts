import type { Database, Transaction } from '../db/database.js';
import type { Question } from '../../entities/question.entity.js';
import type { Author } from '../auth/viewer.js';
import { NotFoundError } from '../errors/index.js';
import type { Realtime } from '../realtime/pubsub.js';
import { renderBody, saveMentions } from './body.js';
import { authorize, type Action } from './policy.js';
import { insertPost, lockPost, updatePost } from './post-rows.js';
import type { RateLimits } from './rate-limits.js';
import { saveOriginal } from './revisions.js';
import { checkBody, checkTitle, normalizeTags } from './rules.js';
import { attachTags } from './tags.js';
import { writeThread } from './thread-write.js';

/** Asking, accepting and following: the rules of a question. */
export class QuestionService {
  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<Realtime, 'publishThreadEvents' | 'publishNotifications'>,
    private readonly rateLimits: Pick<RateLimits, 'post'>,
  ) {}

  /** Asks a question; its author follows it from the start. */
  async ask(viewer: Author, input: { title: string; body: string; tags: readonly string[] }): Promise<Question> {
    await this.rateLimits.post(viewer.userId);
    const title = checkTitle(input.title);
    const body = checkBody(input.body);
    const tags = normalizeTags(input.tags);
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const rendered = await renderBody(m, body);
      const question = (await insertPost(m, {
        kind: 'question',
        author_id: viewer.userId,
        title,
        body,
        body_html: rendered.html,
        follower_count: 1,
      })) as Question;
      await attachTags(m, question.rowId, tags);
      await saveOriginal(m, question);
      await saveMentions(m, question.rowId, rendered.mentionIds);
      await announce.notify(question.rowId, rendered.mentionIds, 'written');
      await m.query('INSERT INTO follow (question_id, user_id) VALUES ($1, $2)', [question.rowId, viewer.userId]);
      return question;
    });
  }

  /**
   * Marks an answer as the accepted one, moving the mark from any other, as the policy allows; the
   * answer's author is notified.
   */
  async accept(viewer: Author, answerId: number): Promise<Question> {
    return writeThread(this.db, this.realtime, async (m, announce) => {
      // Threads lock question first, then its posts: read the answer's thread, then lock both.
      const rows: Array<{ questionId: number }> = await m.query(
        `SELECT question_id AS "questionId" FROM post WHERE id = $1 AND kind = 'answer'`,
        [answerId],
      );
      if (rows.length === 0) throw new NotFoundError('The answer');
      const question = await lockQuestionFor(m, viewer, rows[0].questionId, 'accept');
      const answer = await lockPost(m, answerId, 'answer');
      if (question.acceptedAnswerId === answerId) return question;
      if (question.acceptedAnswerId !== null) {
        await announce.record(question.rowId, {
          kind: 'ANSWER_UNACCEPTED',
          postId: question.acceptedAnswerId,
          postKind: 'answer',
        });
      }
      await announce.record(question.rowId, { kind: 'ANSWER_ACCEPTED', postId: answerId, postKind: 'answer' });
      if (answer.authorId !== viewer.userId) await announce.notifyUser(answer.authorId, answerId, 'ANSWER_ACCEPTED');
      return (await updatePost(m, 'UPDATE post SET accepted_answer_id = $2 WHERE id = $1', [
        question.rowId,
        answerId,
      ])) as Question;
    });
  }

  /** Removes the accepted mark, as the policy allows accepting. Idempotent. */
  async unaccept(viewer: Author, questionId: number): Promise<Question> {
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const question = await lockQuestionFor(m, viewer, questionId, 'accept');
      if (question.acceptedAnswerId === null) return question;
      await announce.record(questionId, {
        kind: 'ANSWER_UNACCEPTED',
        postId: question.acceptedAnswerId,
        postKind: 'answer',
      });
      return (await updatePost(m, 'UPDATE post SET accepted_answer_id = NULL WHERE id = $1', [questionId])) as Question;
    });
  }

  /** Follows or unfollows a thread. Idempotent: the count moves only when a follow row does. */
  async follow(viewer: Author, questionId: number, follow: boolean): Promise<Question> {
    return this.db.transaction(async (m) => {
      const question = await lockQuestionFor(m, viewer, questionId, 'follow');
      const changed: unknown[] = follow
        ? await m.query(
            'INSERT INTO follow (question_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
            [questionId, viewer.userId],
          )
        : (
            await m.query<[unknown[], number]>(
              'DELETE FROM follow WHERE question_id = $1 AND user_id = $2 RETURNING 1',
              [questionId, viewer.userId],
            )
          )[0];
      if (changed.length === 0) return question;
      return (await updatePost(m, 'UPDATE post SET follower_count = follower_count + $2 WHERE id = $1', [
        questionId,
        follow ? 1 : -1,
      ])) as Question;
    });
  }
}

/** Locks a question, and checks that the policy lets the viewer take `action` on it. */
async function lockQuestionFor(
  m: Transaction,
  viewer: Author,
  questionId: number,
  action: Extract<Action, 'accept' | 'follow'>,
): Promise<Question> {
  const question = await lockPost(m, questionId, 'question');
  authorize(viewer, action, question);
  return question;
}
