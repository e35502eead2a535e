import { Role } from '../../entities/moderation-enums.js';
import type { Post } from '../../entities/post.entity.js';
import type { Question } from '../../entities/question.entity.js';
import type { User } from '../../entities/user.entity.js';
import type { Author } from '../auth/viewer.js';
import { ForbiddenError, UnauthenticatedError } from '../errors/index.js';
import type { ThreadEventMessage } from '../realtime/topics.js';

type Actor = Required<Author>;
type PostState = Pick<Post, 'authorId' | 'lockedAt'>;

const moderates = (actor: Actor) => actor.role !== Role.MEMBER;
/** A locked thread takes nothing from members; moderators still act on it. */
const lockedFor = (actor: Actor, post: Pick<Post, 'lockedAt'>) => post.lockedAt != null && !moderates(actor);
const locked = 'This thread is locked';
const moderatorsOnly = 'Only moderators may do this';

/**
 * What a signed-in viewer may do: null when allowed, else why not. The viewerCan… fields and the
 * mutations both read these rules, so a client that offers an action only when its field is true
 * never sees the mutation refused for want of the right (rate limits and bad input aside).
 * Each rule reads only the viewer's standing (read with the session) and the target's own row: a
 * page pays no statement for them. A suspended viewer may do none of them (see {@link refusal}).
 */
const rules = {
  edit: (actor: Actor, post: PostState) =>
    post.authorId !== actor.userId && !moderates(actor)
      ? 'Only its author or a moderator may edit this post'
      : lockedFor(actor, post)
        ? locked
        : null,
  delete: (actor: Actor, post: Pick<Post, 'authorId'>) =>
    post.authorId === actor.userId || moderates(actor) ? null : 'Only its author or a moderator may delete this post',
  vote: (actor: Actor, post: PostState) =>
    post.authorId === actor.userId ? 'You cannot vote on your own post' : lockedFor(actor, post) ? locked : null,
  /** Accepting an answer, or taking the mark back. */
  accept: (actor: Actor, question: Pick<Question, 'authorId' | 'answerCount'>) =>
    question.authorId !== actor.userId
      ? "Only the question's author may accept an answer"
      : question.answerCount === 0
        ? 'The question has no answer to accept'
        : null,
  answer: (actor: Actor, question: Pick<Question, 'closedAt' | 'lockedAt'>) =>
    question.closedAt != null ? 'This question is closed to new answers' : lockedFor(actor, question) ? locked : null,
  reply: (actor: Actor, answer: Pick<Post, 'lockedAt'>) => (lockedFor(actor, answer) ? locked : null),
  follow: (_actor: Actor, _question: Pick<Question, 'authorId'>) => null,
  flag: (actor: Actor, post: PostState) =>
    post.authorId === actor.userId ? 'You cannot flag your own post' : lockedFor(actor, post) ? locked : null,
  /** Closing and reopening. */
  close: (actor: Actor, _question: Pick<Question, 'authorId'>) => (moderates(actor) ? null : moderatorsOnly),
  /** Locking and unlocking. */
  lock: (actor: Actor, _question: Pick<Question, 'authorId'>) => (moderates(actor) ? null : moderatorsOnly),
  undelete: (actor: Actor, _post: Pick<Post, 'authorId'>) => (moderates(actor) ? null : moderatorsOnly),
  /** Reading the flags and the log, and resolving flags. */
  moderate: (actor: Actor, _target: object) => (moderates(actor) ? null : moderatorsOnly),
  /** Suspending and unsuspending: moderators act on members, admins on anyone; nobody on themselves. */
  suspend: (actor: Actor, user: Pick<User, 'rowId' | 'role'>) =>
    user.rowId === actor.userId
      ? 'You cannot suspend yourself'
      : !moderates(actor)
        ? moderatorsOnly
        : user.role !== Role.MEMBER && actor.role !== Role.ADMIN
          ? 'Only admins may act on moderators and admins'
          : null,
  /** Naming moderators and admins: admins, never on themselves (so that one cannot demote oneself). */
  setRole: (actor: Actor, user: Pick<User, 'rowId'>) =>
    actor.role !== Role.ADMIN
      ? 'Only admins may change roles'
      : user.rowId === actor.userId
        ? 'You cannot change your own role'
        : null,
} satisfies Record<string, (actor: Actor, target: never) => string | null>;

export type Action = keyof typeof rules;
type TargetOf<A extends Action> = Parameters<(typeof rules)[A]>[1];

/** Whether `viewer` is a moderator or an admin. */
export function isModerator(viewer: Author | null): boolean {
  return viewer !== null && (viewer.role ?? Role.MEMBER) !== Role.MEMBER;
}

/** Whether a suspension that ends at `until` (as stored) is still running. */
export function suspendedNow(until: Date | null | undefined): boolean {
  return until != null && until.getTime() > Date.now();
}

/**
 * Whether `viewer` may read a deleted or hidden post by its id: its author and moderators may,
 * suspended or not (a suspension stops writes, not reads); nobody else reads it anywhere.
 */
export function maySeeRemoved(viewer: Author | null, post: Pick<Post, 'authorId'>): boolean {
  return viewer !== null && (post.authorId === viewer.userId || isModerator(viewer));
}

/**
 * Whether a thread event is for `viewer`: every event is, but those of a hidden post, which go either
 * to the viewers who still read it ({@link maySeeRemoved}) or to the others (ThreadEventMessage.audience).
 * It reads only the event and the viewer's standing, so deciding costs a watcher no statement.
 */
export function isEventFor(viewer: Author | null, event: Pick<ThreadEventMessage, 'audience' | 'authorId'>): boolean {
  if (event.audience === undefined || event.authorId === undefined) return true;
  return (event.audience === 'readers') === maySeeRemoved(viewer, { authorId: event.authorId });
}

function refusal<A extends Action>(viewer: Author, action: A, target: TargetOf<A>): string | null {
  const actor: Actor = {
    userId: viewer.userId,
    role: viewer.role ?? Role.MEMBER,
    suspendedUntil: viewer.suspendedUntil ?? null,
  };
  if (actor.suspendedUntil !== null && suspendedNow(actor.suspendedUntil)) {
    return `Your account is suspended until ${actor.suspendedUntil.toISOString()}`;
  }
  return (rules[action] as (actor: Actor, target: TargetOf<A>) => string | null)(actor, target);
}

/**
 * True when `viewer` may take `action` on `target`; an anonymous viewer may do none of them, and
 * nobody anything but undelete on a deleted post (which its author and moderators still read).
 */
export function may<A extends Action>(viewer: Author | null, action: A, target: TargetOf<A>): boolean {
  const deleted = 'deletedAt' in target && target.deletedAt != null;
  return viewer !== null && (!deleted || action === 'undelete') && refusal(viewer, action, target) === null;
}

/** Refuses what {@link may} refuses: UNAUTHENTICATED without a viewer, FORBIDDEN with the reason otherwise. */
export function authorize<A extends Action>(viewer: Author | null, action: A, target: TargetOf<A>): void {
  if (viewer === null) throw new UnauthenticatedError();
  const reason = refusal(viewer, action, target);
  if (reason !== null) throw new ForbiddenError(reason);
}
