import type { Database } from '../db/database.js';
import { setBounded } from '../bounded-map.js';
import { UnauthenticatedError } from '../errors/index.js';
import { listenNow, type Listening } from '../realtime/listen.js';
import type { Realtime } from '../realtime/pubsub.js';
import { bearerToken, hashToken } from './token.js';
import type { Viewer } from './viewer.js';

/** A session as last read: who it is, and until when this process may trust it without reading it again. */
interface Kept {
  viewer: Viewer;
  until: number;
}

/** How long a session is trusted without being read again, at most: what a lost revocation event could cost. */
const defaultMaxAgeMs = 10_000;

/**
 * Resolves tokens to viewers, keeping the sessions it read for a few seconds so that a signed-in
 * client's requests do not each pay a round trip to PostgreSQL for its session.
 *
 * A session is kept at most `maxAgeMs`, never past its expiry. `forget` drops a revoked session from
 * this process at once (logOut calls it before it answers); every process also drops it when the
 * revocation event reaches it through the pub/sub, within milliseconds. Only if that event were lost
 * (the pub/sub connection down) could another process accept a revoked token, for `maxAgeMs` at most.
 * A viewer's role and suspension are read with the session and dropped the same way when they change.
 */
export class Sessions {
  private readonly kept = new Map<string, Kept>();
  private readonly revocations: Listening<number>;
  private readonly standings: Listening<number>;

  constructor(
    private readonly db: Database,
    realtime: Pick<Realtime, 'pubsub'>,
    private readonly maxAgeMs = defaultMaxAgeMs,
    private readonly capacity = 10_000,
  ) {
    this.revocations = listenNow(realtime.pubsub.subscribe('sessionRevoked'));
    this.revocations.deliverTo((sessionId) => this.forget(sessionId));
    this.standings = listenNow(realtime.pubsub.subscribe('standingChanged'));
    this.standings.deliverTo((userId) => this.forgetUser(userId));
  }

  /**
   * The viewer an `Authorization` value stands for. No header means anonymous (null); a malformed,
   * unknown, expired or revoked token gives UNAUTHENTICATED so the client knows to sign in again.
   */
  async viewerOf(authorization: string | undefined): Promise<Viewer | null> {
    const token = bearerToken(authorization);
    if (token === undefined) return null;
    if (token === null) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
    const now = Date.now();
    const kept = this.kept.get(token);
    if (kept !== undefined && now < kept.until) return kept.viewer;
    this.kept.delete(token);
    const [row] = await this.db.prepared<Viewer & { expiresAt: Date }>(
      `SELECT s.user_id AS "userId", s.id AS "sessionId", s.expires_at AS "expiresAt", u.role,
              u.suspended_until AS "suspendedUntil"
         FROM session s JOIN "user" u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [hashToken(token)],
    );
    if (row === undefined) throw new UnauthenticatedError('The token is invalid, expired or revoked: sign in again');
    const { userId, sessionId, role, suspendedUntil } = row;
    const viewer: Viewer = { userId, sessionId, role, suspendedUntil };
    setBounded(
      this.kept,
      token,
      { viewer, until: Math.min(now + this.maxAgeMs, row.expiresAt.getTime()) },
      this.capacity,
    );
    return viewer;
  }

  /** Stops trusting a session in this process (it was revoked). */
  forget(sessionId: number): void {
    for (const [token, { viewer }] of this.kept) if (viewer.sessionId === sessionId) this.kept.delete(token);
  }

  /** Reads the sessions of a user again on their next use: their role or suspension changed. */
  forgetUser(userId: number): void {
    for (const [token, { viewer }] of this.kept) if (viewer.userId === userId) this.kept.delete(token);
  }

  /** Stops listening for revocations and changes of standing. */
  async close(): Promise<void> {
    await Promise.all([this.revocations.stop(), this.standings.stop()]);
  }
}
