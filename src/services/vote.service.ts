import type { DataSource } from 'typeorm';
import type { Post } from '../../entities/post.entity.js';
import type { Author } from '../auth/viewer.js';
import type { PostRef } from '../ids.js';
import type { Realtime } from '../realtime/pubsub.js';
import { preparedInTransaction } from '../db/prepared.js';
import { authorize } from './policy.js';
import { postColumns, toPost, type PostRow } from '../loaders/rows.js';
import { lockInThread, threadIdOf } from './post-rows.js';
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
   * Sets the viewer's vote on a post. The thread's question and the post are locked first, so
   * concurrent votes apply one after another and `score` (and the author's reputation) move by
   * exactly the change; a change of score is a SCORE_CHANGED event of the thread.
   * Repeating a vote changes nothing; the policy refuses a vote on one's own post.
   */
  async vote(viewer: Author, target: PostRef, choice: VoteChoice): Promise<Post> {
    await this.rateLimits.vote(viewer.userId);
    const postId = target.rowId;
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const post = await lockInThread(m, postId, target.kind);
      authorize(viewer, 'vote', post);
      const after = valueOf[choice];
      // One statement: the vote row, the author's reputation and the post's score move together; a
      // repeated vote writes nothing and gives no row.
      const [voted] = await preparedInTransaction<PostRow>(
        m,
        `WITH old AS (
           SELECT coalesce((SELECT value FROM vote WHERE post_id = $1 AND user_id = $2), 0)::integer AS value
         ), retracted AS (
           DELETE FROM vote WHERE $3::integer = 0 AND post_id = $1 AND user_id = $2
         ), cast_vote AS (
           INSERT INTO vote (post_id, user_id, value) SELECT $1, $2, $3::integer WHERE $3::integer <> 0
           ON CONFLICT (post_id, user_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
             WHERE vote.value <> EXCLUDED.value
         ), reputation AS (
           UPDATE "user" u SET reputation = u.reputation + $3::integer - old.value
             FROM old WHERE u.id = $4 AND old.value <> $3::integer
         )
         UPDATE post p SET score = p.score + $3::integer - old.value
           FROM old WHERE p.id = $1 AND old.value <> $3::integer
         RETURNING ${postColumns}`,
        [postId, viewer.userId, after, post.authorId],
      );
      if (voted === undefined) return post;
      await announce.record(threadIdOf(post), {
        kind: 'SCORE_CHANGED',
        postId,
        postKind: target.kind,
        score: voted.score as number,
      });
      return toPost(voted);
    });
  }
}
