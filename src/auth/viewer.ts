import type { DataSource } from 'typeorm';
import { UnauthenticatedError } from '../errors/index.js';
import { bearerToken, hashToken } from './token.js';
import { preparedRows } from '../db/prepared.js';

/** Who is asking: the signed-in user and the session their token belongs to. */
export interface Viewer {
  userId: number;
  sessionId: number;
}

/**
 * Resolves an `Authorization` value to the viewer. No header means anonymous (null); a malformed,
 * unknown, expired or revoked token gives UNAUTHENTICATED so the client knows to sign in again.
 */
export async function viewerFromAuthorization(
  db: DataSource,
  authorization: string | undefined,
): Promise<Viewer | null> {
  const token = bearerToken(authorization);
  if (token === undefined) return null;
  if (token === null) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  const rows = await preparedRows<Viewer>(
    db,
    `SELECT user_id AS "userId", id AS "sessionId" FROM session
      WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
    [hashToken(token)],
  );
  if (rows.length === 0) throw new UnauthenticatedError('The token is invalid, expired or revoked: sign in again');
  return rows[0];
}

/** Who writes: all the services need to know of a viewer to apply the rules. */
export type Author = Pick<Viewer, 'userId'>;
