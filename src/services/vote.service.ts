import type { Database } from '../db/database.js';
import type { Post } from '../../entities/post.entity.js';
import type { Author } from '../auth/viewer.js';
import type { PostRef } from '../ids.js';
import type { Realtime } from '../realtime/pubsub.js';
import { retryingClashes } from '../db/transaction.js';
import { authorize, may } from './policy.js';
import { postSelect, toPost, type PostRow } from '../db/rows.js';
import { PostFactsCache } from './post-facts.js';
import { postNotFound, threadIdOf } from './post-rows.js';
import type { RateLimits } from './rate-limits.js';

/** A vote as the API says it. NONE retracts. */
export type VoteChoice = 'UP' | 'DOWN' | 'NONE';

const valueOf: Record<VoteChoice, -1 | 0 | 1> = { UP: 1, DOWN: -1, NONE: 0 };

/** The post after a vote, and the number and date of its SCORE_CHANGED event when the score moved. */
type VotedRow = PostRow & { eventSeq: number | null; eventAt: Date | null };

const castVote = `SELECT ${postSelect}, (v.event).seq AS "eventSeq", (v.event).created_at AS "eventAt"
  FROM cast_vote($1, $2, $3, $4, $5) v, LATERAL (SELECT (v.voted).*) p`;

/** Votes, and the score and reputation that follow from them. */
export class VoteService {
  private readonly facts: PostFactsCache;

  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<Realtime, 'publishThreadEvents'>,
    private readonly rateLimits: Pick<RateLimits, 'vote'>,
  ) {
    this.facts = new PostFactsCache(db);
  }

  /**
   * Sets the viewer's vote on a post in one call of `cast_vote` (migration 1764220000000), which
   * locks the thread's question and the post first, so concurrent votes apply one after another and
   * `score` (and the author's reputation) move by exactly the change; a change of score is a
   * SCORE_CHANGED event of the thread. Repeating a vote changes nothing; the policy refuses a vote on
   * one's own post, and in a locked thread (`cast_vote` then leaves the vote as it was).
   */
  async vote(viewer: Author, target: PostRef, choice: VoteChoice): Promise<Post> {
    await this.rateLimits.vote(viewer.userId);
    const facts = await this.facts.of(target.rowId);
    if (facts === undefined || facts.kind !== target.kind) throw postNotFound(target.kind);
    authorize(viewer, 'vote', { ...facts, lockedAt: null });
    // Whether the thread is locked is the call's own read, under its locks.
    const mayVoteLocked = may(viewer, 'vote', { ...facts, lockedAt: new Date() });
    const [voted] = await retryingClashes(() =>
      this.db.prepared<VotedRow>(castVote, [target.rowId, target.kind, viewer.userId, valueOf[choice], mayVoteLocked]),
    );
    if (voted === undefined) throw postNotFound(target.kind);
    const post = toPost(voted);
    authorize(viewer, 'vote', post);
    if (voted.eventSeq !== null && voted.eventAt !== null) {
      this.realtime.publishThreadEvents([
        {
          questionId: threadIdOf(post),
          seq: voted.eventSeq,
          kind: 'SCORE_CHANGED',
          postId: post.rowId,
          postKind: post.kind,
          score: post.score,
          at: voted.eventAt.toISOString(),
        },
      ]);
    }
    return post;
  }
}
