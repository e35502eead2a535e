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
 */
export class Sessions {
  private readonly kept = new Map<string, Kept>();
  private readonly revocations: Listening<number>;

  constructor(
    private readonly db: Database,
    realtime: Pick<Realtime, 'pubsub'>,
    private readonly maxAgeMs = defaultMaxAgeMs,
    private readonly capacity = 10_000,
  ) {
    this.revocations = listenNow(realtime.pubsub.subscribe('sessionRevoked'));
    this.revocations.deliverTo((sessionId) => this.forget(sessionId));
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
      `SELECT user_id AS "userId", id AS "sessionId", expires_at AS "expiresAt" FROM session
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [hashToken(token)],
    );
    if (row === undefined) throw new UnauthenticatedError('The token is invalid, expired or revoked: sign in again');
    const viewer: Viewer = { userId: row.userId, sessionId: row.sessionId };
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

  /** Stops listening for revocations. */
  close(): Promise<void> {
    return this.revocations.stop();
  }
}
