import type { PostKind } from '../../entities/post.entity.js';

/** Every kind of change a thread has, as the contract's ThreadEventKind names them. */
export const threadEventKinds = [
  'ANSWER_ADDED',
  'REPLY_ADDED',
  'SCORE_CHANGED',
  'POST_EDITED',
  'POST_DELETED',
  'ANSWER_ACCEPTED',
  'ANSWER_UNACCEPTED',
  'QUESTION_CLOSED',
  'QUESTION_REOPENED',
  'QUESTION_LOCKED',
  'QUESTION_UNLOCKED',
  'POST_RESTORED',
] as const;

export type ThreadEventKind = (typeof threadEventKinds)[number];

/**
 * One committed change of a thread, as it travels over pub/sub (and Redis): ids, a score and an ISO
 * date, never rows. `seq` numbers the thread's events in commit order, from 1.
 */
export interface ThreadEventMessage {
  questionId: number;
  seq: number;
  kind: ThreadEventKind;
  postId: number;
  postKind: PostKind;
  score: number | null;
  at: string;
  /**
   * Absent: the event is for every watcher. Set on the POST_DELETED events of a post hidden by flags,
   * which its author (`authorId`) and moderators still read (policy.maySeeRemoved): `others` is for
   * everyone but them (the hiding), `readers` for them alone (its deletion for good, when a flag is
   * found helpful, which the others saw at the hiding).
   */
  audience?: EventAudience;
  /** With `audience`: the post's author. */
  authorId?: number;
}

/** Which of a thread's watchers an event of a hidden post is for (see ThreadEventMessage.audience). */
export type EventAudience = 'others' | 'readers';

/** A new notification, as it travels over pub/sub: ids and an ISO date. */
export interface NotificationMessage {
  id: number;
  userId: number;
  kind: NotificationKindName;
  postId: number;
  createdAt: string;
}

export type NotificationKindName =
  | 'MENTION'
  | 'ANSWER_TO_YOUR_QUESTION'
  | 'REPLY_TO_YOUR_ANSWER'
  | 'ACTIVITY_ON_FOLLOWED_QUESTION'
  | 'ANSWER_ACCEPTED'
  | 'MODERATION';

/** The pub/sub topics, each keyed by the id its subscribers filter on. */
export type Topics = {
  /** Keyed by the user notified. */
  notification: [userId: number, notification: NotificationMessage];
  /** Keyed by question row id. */
  thread: [questionId: number, event: ThreadEventMessage];
  /**
   * A session was revoked: its private streams end, and every process stops trusting it
   * (src/auth/sessions.ts). One topic for all sessions, since each process's cache hears them all.
   */
  sessionRevoked: [sessionId: number];
  /** A user's role or suspension changed: every process reads their sessions again (src/auth/sessions.ts). */
  standingChanged: [userId: number];
};
