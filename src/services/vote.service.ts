import type { DataSource } from 'typeorm';
import type { Post } from '../../entities/post.entity.js';
import type { Author } from '../auth/viewer.js';
import type { PostRef } from '../ids.js';
import type { Realtime } from '../realtime/pubsub.js';
import { authorize } from './policy.js';
import { lockPost, threadOf, updatePost } from './post-rows.js';
import type { RateLimits } from './rate-limits.js';
import { writeThread } from './thread-write.js';

/** A vote as the API says it. NONE retracts. */
export type VoteChoice = 'UP' | 'DOWN' | 'NONE';

const valueOf: Record<VoteChoice, -1 | 0 | 1> = { UP: 1, DOWN: -1, NONE: 0 };

/** Votes, and the score and reputation that follow from them. */
export class VoteService {
  constructor(
    private readonly db: DataSource,
    private readonly realtime: Pick<Realtime, 'publishThreadEvents' | 'publishNotifications'>,
    private readonly rateLimits: Pick<RateLimits, 'vote'>,
  ) {}

  /**
   * Sets the viewer's vote on a post. The thread's question, then the post, are locked first, so
   * concurrent votes apply one after another and `score` (and the author's reputation) move by
   * exactly the change; a change of score is a SCORE_CHANGED event of the thread.
   * Repeating a vote changes nothing; the policy refuses a vote on one's own post.
   */
  async vote(viewer: Author, target: PostRef, choice: VoteChoice): Promise<Post> {
    await this.rateLimits.vote(viewer.userId);
    const postId = target.rowId;
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const questionId = await threadOf(m, postId, target.kind);
      await lockPost(m, questionId, 'question');
      const post = await lockPost(m, postId, target.kind);
      authorize(viewer, 'vote', post);
      const rows: Array<{ value: -1 | 1 }> = await m.query(
        'SELECT value FROM vote WHERE post_id = $1 AND user_id = $2',
        [postId, viewer.userId],
      );
      const before = rows[0]?.value ?? 0;
      const after = valueOf[choice];
      if (after === before) return post;
      if (after === 0) {
        await m.query('DELETE FROM vote WHERE post_id = $1 AND user_id = $2', [postId, viewer.userId]);
      } else {
        await m.query(
          `INSERT INTO vote (post_id, user_id, value) VALUES ($1, $2, $3)
           ON CONFLICT (post_id, user_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [postId, viewer.userId, after],
        );
      }
      await m.query('UPDATE "user" SET reputation = reputation + $2 WHERE id = $1', [post.authorId, after - before]);
      const voted = await updatePost(m, 'UPDATE post SET score = score + $2 WHERE id = $1', [postId, after - before]);
      await announce.record(questionId, { kind: 'SCORE_CHANGED', postId, postKind: target.kind, score: voted.score });
      return voted;
    });
  }
}
