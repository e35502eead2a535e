import type { Database } from '../db/database.js';
import type { Flag } from '../../entities/flag.entity.js';
import { FlagReason, FlagStatus } from '../../entities/moderation-enums.js';
import type { Author } from '../auth/viewer.js';
import { BadUserInputError, NotFoundError } from '../errors/index.js';
import type { PostRef } from '../ids.js';
import { flagSelect, toFlag } from '../db/rows.js';
import type { Realtime } from '../realtime/pubsub.js';
import { logAction } from './moderation-log.js';
import { authorize } from './policy.js';
import { deletionOf, lockLineage, removePost, restorePost } from './post-removal.js';
import { lockInThread, threadIdOf } from './post-rows.js';
import type { RateLimits } from './rate-limits.js';
import { checkText } from './rules.js';
import { writeThread } from './thread-write.js';

/** The longest note a flag takes, in characters. */
export const noteMax = 500;

/** The reasons whose flags, from enough members, hide a post until a moderator looks. */
const hiding: readonly FlagReason[] = [FlagReason.SPAM, FlagReason.RUDE];

/** Members' flags and the moderators' verdicts on them. */
export class FlagService {
  /** @param flagsToHide open SPAM or RUDE flags from distinct members that hide a post */
  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<Realtime, 'publishThreadEvents' | 'publishNotifications'>,
    private readonly rateLimits: Pick<RateLimits, 'flag'>,
    private readonly flagsToHide: number,
  ) {}

  /**
   * Flags a live post, once per member (BAD_USER_INPUT, rule once, the second time). The flag that
   * makes `flagsToHide` open SPAM or RUDE flags hides the post: it is deleted, as hidden, until a
   * moderator resolves them. RATE_LIMITED past the flags a member may raise in an hour.
   */
  async flag(viewer: Author, target: PostRef, reason: FlagReason, note: string | null | undefined): Promise<Flag> {
    await this.rateLimits.flag(viewer.userId);
    const text = checkNote(note);
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const post = await lockInThread(m, target.rowId, target.kind);
      authorize(viewer, 'flag', post);
      const [row]: Array<Record<string, unknown>> = await m.query(
        `INSERT INTO flag AS f (post_id, flagger_id, reason, note) VALUES ($1, $2, $3, $4)
         ON CONFLICT (post_id, flagger_id) DO NOTHING RETURNING ${flagSelect}`,
        [post.rowId, viewer.userId, reason, text],
      );
      if (row === undefined) {
        throw new BadUserInputError('You flagged this post already', { field: 'postId', rule: 'once' });
      }
      if (hiding.includes(reason)) {
        const [{ open }]: Array<{ open: number }> = await m.query(
          `SELECT count(*)::integer AS open FROM flag WHERE post_id = $1 AND status = 'OPEN' AND reason = ANY($2)`,
          [post.rowId, hiding],
        );
        // The post's row lock orders the flaggers: exactly one of them reaches the threshold.
        if (open === this.flagsToHide) await removePost(m, announce, post, true);
      }
      return toFlag(row);
    });
  }

  /**
   * Resolves a flag with every other open flag of its post. Helpful: the post is deleted (a post the
   * flags hid stays deleted) and its author notified. Declined: a post the flags hid comes back, for
   * those who saw it leave. Resolving a resolved flag changes nothing.
   */
  async resolve(viewer: Author, flagId: number, helpful: boolean): Promise<Flag> {
    authorize(viewer, 'moderate', {});
    return writeThread(this.db, this.realtime, async (m, announce) => {
      const found: Array<{ postId: number }> = await m.query('SELECT post_id AS "postId" FROM flag WHERE id = $1', [
        flagId,
      ]);
      if (found.length === 0) throw new NotFoundError('The flag');
      const lineage = await lockLineage(m, found[0].postId);
      const { post } = lineage;
      const [resolved]: [Array<Record<string, unknown>>, number] = await m.query(
        `UPDATE flag f SET status = $2, handled_by_id = $3, handled_at = now()
          WHERE f.post_id = $1 AND f.status = 'OPEN' RETURNING ${flagSelect}`,
        [post.rowId, helpful ? FlagStatus.HELPFUL : FlagStatus.DECLINED, viewer.userId],
      );
      const mine = resolved.find((row) => row.rowId === flagId);
      if (mine === undefined) {
        const [row]: Array<Record<string, unknown>> = await m.query(
          `SELECT ${flagSelect} FROM flag f WHERE f.id = $1`,
          [flagId],
        );
        return toFlag(row);
      }
      // Found helpful, a live or hidden post is deleted by a moderator: news to its author.
      const deletes = helpful && (post.deletedAt === null || post.hiddenAt !== null);
      if (helpful && post.deletedAt === null) {
        await removePost(m, announce, post);
      } else if (helpful && post.hiddenAt !== null) {
        // What the flags hid stays deleted, as a moderator's deletion: news to its author and moderators
        // only, who could still read it; the others saw it leave when it was hidden.
        await m.query(
          'UPDATE post SET hidden_at = NULL WHERE (id = $1 OR question_id = $1 OR answer_id = $1) AND hidden_at = $2',
          [post.rowId, post.hiddenAt],
        );
        await announce.record(threadIdOf(post), deletionOf(post, 'readers'));
      } else if (!helpful && post.hiddenAt !== null) {
        await restorePost(m, announce, lineage);
      }
      if (deletes && post.authorId !== viewer.userId) {
        await announce.notifyUser(post.authorId, post.rowId, 'MODERATION');
      }
      await logAction(m, helpful ? 'FLAG_HELPFUL' : 'FLAG_DECLINED', viewer.userId, { postId: post.rowId });
      return toFlag(mine);
    });
  }
}

/** A flag's note: trimmed, at most {@link noteMax} characters; empty is none. */
function checkNote(note: string | null | undefined): string | null {
  if (note == null) return null;
  const text = checkText('note', note).trim();
  if ([...text].length > noteMax) {
    throw new BadUserInputError(`note must be at most ${noteMax} characters`, {
      field: 'note',
      rule: 'length',
      max: noteMax,
    });
  }
  return text === '' ? null : text;
}
