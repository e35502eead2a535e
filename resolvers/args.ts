import type { PageArgs } from '../src/loaders/pagination.js';
import { checkFirst } from '../src/loaders/pagination.js';

/**
 * Items in a page when `first` is omitted or null: questions, answers, posts, notifications and
 * search results. The thread page's one-statement read (question.resolver.ts) reads it too, so the
 * page it reads ahead is the page the field asks for.
 */
export const defaultPageSize = 10;
/** Items in a page of short items, an answer's replies and tags, when `first` is omitted or null. */
export const shortItemsPageSize = 20;

/** Parses a connection's `first` (1-100; null means the field's default) and `after`. */
export function pageArgs(
  first: number | null | undefined,
  after: string | null | undefined,
  fallback: number,
): PageArgs {
  return { first: checkFirst(first ?? fallback), after: after ?? null };
}

export const firstDescription = 'How many items to return, 1-100; outside that, BAD_USER_INPUT (rule range).';
/** The options of a connection's `first` argument, defaulting to `pageSize`. */
export function firstOptions(pageSize: number): { nullable: true; defaultValue: number; description: string } {
  return { nullable: true, defaultValue: pageSize, description: firstDescription };
}

export const afterDescription =
  'Return the items after this cursor (the endCursor of the previous page). A cursor of another list or ' +
  'order gives BAD_USER_INPUT (rule cursor).';
