import type { Post } from '../../entities/post.entity.js';
import type { Question } from '../../entities/question.entity.js';
import type { Author } from '../auth/viewer.js';
import { ForbiddenError, UnauthenticatedError } from '../errors/index.js';

/**
 * What a signed-in viewer may do to a live post: null when allowed, else why not. The viewerCan…
 * fields and the mutations both read these rules, so a client that offers an action only when its
 * field is true never sees the mutation refused for want of the right (rate limits aside).
 * Each rule reads only the post's own row: a page pays no statement for them.
 */
const rules = {
  edit: (viewerId: number, post: Pick<Post, 'authorId'>) =>
    post.authorId === viewerId ? null : 'Only its author may edit this post',
  delete: (viewerId: number, post: Pick<Post, 'authorId'>) =>
    post.authorId === viewerId ? null : 'Only its author may delete this post',
  vote: (viewerId: number, post: Pick<Post, 'authorId'>) =>
    post.authorId === viewerId ? 'You cannot vote on your own post' : null,
  /** Accepting an answer, or taking the mark back. */
  accept: (viewerId: number, question: Pick<Question, 'authorId' | 'answerCount'>) =>
    question.authorId !== viewerId
      ? "Only the question's author may accept an answer"
      : question.answerCount === 0
        ? 'The question has no answer to accept'
        : null,
  answer: (_viewerId: number, _question: Pick<Question, 'authorId'>) => null,
  reply: (_viewerId: number, _answer: Pick<Post, 'authorId'>) => null,
  follow: (_viewerId: number, _question: Pick<Question, 'authorId'>) => null,
} satisfies Record<string, (viewerId: number, target: never) => string | null>;

export type Action = keyof typeof rules;
type TargetOf<A extends Action> = Parameters<(typeof rules)[A]>[1];

function refusal<A extends Action>(viewerId: number, action: A, target: TargetOf<A>): string | null {
  return (rules[action] as (viewerId: number, target: TargetOf<A>) => string | null)(viewerId, target);
}

/** True when `viewer` may take `action` on `target`; an anonymous viewer may do none of them. */
export function may<A extends Action>(viewer: Author | null, action: A, target: TargetOf<A>): boolean {
  return viewer !== null && refusal(viewer.userId, action, target) === null;
}

/** Refuses what {@link may} refuses: UNAUTHENTICATED without a viewer, FORBIDDEN with the reason otherwise. */
export function authorize<A extends Action>(viewer: Author | null, action: A, target: TargetOf<A>): void {
  if (viewer === null) throw new UnauthenticatedError();
  const reason = refusal(viewer.userId, action, target);
  if (reason !== null) throw new ForbiddenError(reason);
}
