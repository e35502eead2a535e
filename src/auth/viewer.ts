import type { Role } from '../../entities/moderation-enums.js';

/** Who is asking: the signed-in user, the session their token belongs to, and their standing. */
export interface Viewer {
  userId: number;
  sessionId: number;
  role: Role;
  /** The end of a suspension, as stored: the policy compares it with the time of each action. */
  suspendedUntil: Date | null;
}

/**
 * Who writes: all the services need to know of a viewer to apply the rules. Without a role and a
 * suspension, a member in good standing (scripts and tests that act for a user).
 */
export type Author = Pick<Viewer, 'userId'> & Partial<Pick<Viewer, 'role' | 'suspendedUntil'>>;
