import type { Ordering, SortKey } from './pagination.js';

const id = (descending: boolean): SortKey => ({ column: 'id', property: 'rowId', descending, type: 'integer' });
const createdAt = (descending: boolean): SortKey => ({
  column: 'created_at',
  property: 'createdAt',
  descending,
  type: 'timestamptz',
});
const score: SortKey = { column: 'score', property: 'score', descending: true, type: 'integer' };

/** Question lists, by the contract's QuestionOrder. UNANSWERED is NEWEST among questions with no answer. */
export const questionOrderings = {
  ACTIVE: {
    name: 'ACTIVE',
    keys: [{ column: 'last_activity_at', property: 'lastActivityAt', descending: true, type: 'timestamptz' }, id(true)],
  },
  NEWEST: { name: 'NEWEST', keys: [createdAt(true), id(true)] },
  TOP: { name: 'TOP', keys: [score, id(true)] },
  UNANSWERED: { name: 'UNANSWERED', keys: [createdAt(true), id(true)] },
} as const satisfies Record<string, Ordering>;

/** Answer lists, by the contract's AnswerOrder. TOP breaks score ties by age, oldest first. */
export const answerOrderings = {
  TOP: { name: 'TOP', keys: [score, createdAt(false), id(false)] },
  NEWEST: { name: 'NEWEST', keys: [createdAt(true), id(true)] },
  OLDEST: { name: 'OLDEST', keys: [createdAt(false), id(false)] },
} as const satisfies Record<string, Ordering>;

/** Replies read as a conversation: oldest first. */
export const replyOrdering: Ordering = { name: 'OLDEST', keys: [createdAt(false), id(false)] };

/** A user's own questions or answers: newest first. */
export const authoredOrdering: Ordering = { name: 'NEWEST', keys: [createdAt(true), id(true)] };

/** Tags: most used first, then by name. */
export const tagOrdering: Ordering = {
  name: 'POPULAR',
  keys: [
    { column: 'question_count', property: 'questionCount', descending: true, type: 'integer' },
    { column: 'name', property: 'name', descending: false, type: 'text' },
  ],
};
