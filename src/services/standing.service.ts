import type { Database, Transaction } from '../db/database.js';
import { Role } from '../../entities/moderation-enums.js';
import type { User } from '../../entities/user.entity.js';
import type { Sessions } from '../auth/sessions.js';
import type { Author } from '../auth/viewer.js';
import { BadUserInputError, NotFoundError } from '../errors/index.js';
import { selectList, toUser, userColumns, userSelect } from '../db/rows.js';
import type { Realtime } from '../realtime/pubsub.js';
import { logAction } from './moderation-log.js';
import { authorize, suspendedNow } from './policy.js';
import { checkText } from './rules.js';

/** The longest suspension, in days. */
export const maxSuspensionDays = 365;
const reasonMax = 500;

/** Roles and suspensions: who may do what. Each change is logged, and every process hears of it. */
export class StandingService {
  constructor(
    private readonly db: Database,
    private readonly realtime: Pick<Realtime, 'publishStandingChanged'>,
    private readonly sessions: Pick<Sessions, 'forgetUser'>,
  ) {}

  /**
   * Suspends a user until `until` (in the future, at most {@link maxSuspensionDays} days ahead) for
   * `reason`: they may read but not write. Moderators suspend members; admins anyone but themselves.
   */
  async suspend(viewer: Author, userId: number, until: Date, reason: string): Promise<User> {
    const now = Date.now();
    if (until.getTime() <= now) {
      throw new BadUserInputError('until must be in the future', { field: 'until', rule: 'future' });
    }
    if (until.getTime() > now + maxSuspensionDays * 24 * 3600 * 1000) {
      throw new BadUserInputError(`until must be at most ${maxSuspensionDays} days ahead`, {
        field: 'until',
        rule: 'max',
        maxDays: maxSuspensionDays,
      });
    }
    const why = checkText('reason', reason).trim();
    if (why === '' || [...why].length > reasonMax) {
      throw new BadUserInputError(`reason must be 1 to ${reasonMax} characters`, {
        field: 'reason',
        rule: 'length',
        min: 1,
        max: reasonMax,
      });
    }
    return this.change(viewer, userId, 'suspend', async (m) => {
      await logAction(m, 'USER_SUSPENDED', viewer.userId, { userId, reason: why });
      return ['suspended_until = $2, suspension_reason = $3', [until, why]];
    });
  }

  /** Ends a suspension now, as the policy allows suspending. Unsuspending a user in good standing changes nothing. */
  async unsuspend(viewer: Author, userId: number): Promise<User> {
    return this.change(viewer, userId, 'suspend', async (m, user) => {
      if (!suspendedNow(user.suspendedUntil)) return null;
      await logAction(m, 'USER_UNSUSPENDED', viewer.userId, { userId });
      return ['suspended_until = NULL, suspension_reason = NULL', []];
    });
  }

  /** Gives a user a role; admins only, never on themselves. */
  async setRole(viewer: Author, userId: number, role: Role): Promise<User> {
    return this.change(viewer, userId, 'setRole', async (m, user) => {
      if (user.role === role) return null;
      await logAction(m, 'ROLE_CHANGED', viewer.userId, { userId, reason: role });
      return ['role = $2', [role]];
    });
  }

  /**
   * Locks the user, checks the policy, and applies the change `decide` gives (SET clause and its
   * parameters from $2), or none for null; then every process reads the user's sessions again.
   */
  private async change(
    viewer: Author,
    userId: number,
    action: 'suspend' | 'setRole',
    decide: (m: Transaction, user: User) => Promise<[string, unknown[]] | null>,
  ): Promise<User> {
    const user = await this.db.transaction(async (m) => {
      const rows: Array<Record<string, unknown>> = await m.query(
        `SELECT ${userSelect} FROM "user" u WHERE u.id = $1 FOR UPDATE`,
        [userId],
      );
      if (rows.length === 0) throw new NotFoundError('The user');
      const found = toUser(rows[0]);
      authorize(viewer, action, found);
      const change = await decide(m, found);
      if (change === null) return found;
      const [set, params] = change;
      const [updated]: [Array<Record<string, unknown>>, number] = await m.query(
        `UPDATE "user" SET ${set} WHERE id = $1 RETURNING ${selectList(userColumns)}`,
        [userId, ...params],
      );
      return toUser(updated[0]);
    });
    this.sessions.forgetUser(userId);
    this.realtime.publishStandingChanged(userId);
    return user;
  }
}

/** Makes the accounts named in ADMIN_USERNAMES admins (at every start); gives how many changed. */
export async function applyAdminUsernames(db: Database, usernames: readonly string[]): Promise<number> {
  if (usernames.length === 0) return 0;
  const [changed]: [unknown[], number] = await db.query(
    `UPDATE "user" SET role = $2 WHERE lower(username) = ANY($1::text[]) AND role <> $2 RETURNING id`,
    [usernames.map((name) => name.toLowerCase()), Role.ADMIN],
  );
  return changed.length;
}
