import type { Transaction } from '../db/database.js';
import type { ModerationActionKind } from '../../entities/moderation-enums.js';

/** What an action was about: a post, a user, and the reason given. */
export interface ActionTarget {
  postId?: number;
  userId?: number;
  reason?: string | null;
}

/** Records a moderator's or admin's action in the transaction that takes it. */
export async function logAction(
  m: Transaction,
  kind: ModerationActionKind | `${ModerationActionKind}`,
  moderatorId: number,
  target: ActionTarget,
): Promise<void> {
  await m.query(
    'INSERT INTO moderation_action (kind, moderator_id, post_id, user_id, reason) VALUES ($1, $2, $3, $4, $5)',
    [kind, moderatorId, target.postId ?? null, target.userId ?? null, target.reason ?? null],
  );
}
