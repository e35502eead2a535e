import type { Database } from '../db/database.js';
import type { User } from '../../entities/user.entity.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { Sessions } from '../auth/sessions.js';
import { hashToken, newToken } from '../auth/token.js';
import type { Viewer } from '../auth/viewer.js';
import { BadUserInputError, UnauthenticatedError } from '../errors/index.js';
import { selectList, toUser, userColumns, userSelect } from '../db/rows.js';
import type { Realtime } from '../realtime/pubsub.js';
import type { RateLimits } from './rate-limits.js';
import { checkDisplayName, checkPassword, checkText, checkUsername } from './rules.js';

/** A new session: the token to send as `Authorization: Bearer <token>`, and whose it is. */
export interface SignedIn {
  token: string;
  user: User;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
}

/** Accounts and sessions. */
export class UserService {
  /**
   * @param sessionTtlSeconds how long a token stays valid
   * @param adminUsernames accounts that are ADMIN from sign-up (ADMIN_USERNAMES)
   */
  constructor(
    private readonly db: Database,
    private readonly sessionTtlSeconds: number,
    private readonly realtime: Pick<Realtime, 'publishSessionRevoked'>,
    private readonly rateLimits: Pick<RateLimits, 'logIn'>,
    private readonly sessions: Pick<Sessions, 'forget'>,
    private readonly adminUsernames: readonly string[] = [],
  ) {}

  /** Creates an account and signs it in; a taken username (any case) is BAD_USER_INPUT. */
  async signUp(input: NewUser): Promise<SignedIn> {
    const user = await this.create(input);
    return { token: await this.openSession(user.rowId), user };
  }

  /** Creates an account without signing it in; an account ADMIN_USERNAMES names is ADMIN. */
  async create(input: NewUser): Promise<User> {
    const username = checkUsername(input.username);
    const displayName = checkDisplayName(input.displayName);
    const passwordHash = await hashPassword(checkPassword(input.password));
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `INSERT INTO "user" (username, display_name, password_hash, role)
       VALUES ($1, $2, $3, CASE WHEN lower($1) = ANY($4::text[]) THEN 'ADMIN' ELSE 'MEMBER' END)
       ON CONFLICT ((lower(username))) DO NOTHING RETURNING ${selectList(userColumns)}`,
      [username, displayName, passwordHash, this.adminUsernames.map((name) => name.toLowerCase())],
    );
    if (rows.length === 0) {
      throw new BadUserInputError(`username "${username}" is taken`, { field: 'username', rule: 'unique' });
    }
    return toUser(rows[0]);
  }

  /**
   * Signs in; an unknown user and a wrong password give the same UNAUTHENTICATED error. Failures from
   * `clientIp` are counted: past the limits, RATE_LIMITED even for the right password.
   * @param clientIp the client's address; callers in this process (scripts, tests) may omit it
   */
  async logIn(input: { username: string; password: string }, clientIp = 'in-process'): Promise<SignedIn> {
    checkText('username', input.username);
    checkText('password', input.password);
    const user = await this.rateLimits.logIn(input.username, clientIp, () => this.checkPassword(input));
    if (!user) throw new UnauthenticatedError('Wrong username or password');
    return { token: await this.openSession(user.rowId), user };
  }

  /** Revokes the viewer's session at once, ending its private subscriptions too. */
  async logOut(viewer: Viewer): Promise<boolean> {
    await this.db.query('UPDATE session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
      viewer.sessionId,
    ]);
    // This process stops trusting the token before it answers; the others when the event reaches them.
    this.sessions.forget(viewer.sessionId);
    this.realtime.publishSessionRevoked(viewer.sessionId);
    return true;
  }

  /** The user whose password this is; null for an unknown user or a wrong password. */
  private async checkPassword(input: { username: string; password: string }): Promise<User | null> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT ${userSelect}, u.password_hash AS "passwordHash" FROM "user" u WHERE lower(u.username) = lower($1)`,
      [input.username],
    );
    const hash = rows[0]?.passwordHash as string | undefined;
    if (!(await verifyPassword(hash, input.password))) return null;
    const { passwordHash: _secret, ...profile } = rows[0];
    return toUser(profile);
  }

  private async openSession(userId: number): Promise<string> {
    const token = newToken();
    await this.db.query(
      `INSERT INTO session (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [userId, hashToken(token), this.sessionTtlSeconds],
    );
    return token;
  }
}
