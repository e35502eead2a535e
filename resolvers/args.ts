import type { PageArgs } from '../src/loaders/pagination.js';
import { checkFirst } from '../src/loaders/pagination.js';

/** Parses a connection's `first` (1-100; null means the field's default) and `after`. */
export function pageArgs(
  first: number | null | undefined,
  after: string | null | undefined,
  fallback: number,
): PageArgs {
  return { first: checkFirst(first ?? fallback), after: after ?? null };
}

export const firstDescription = 'How many items to return, 1-100; outside that, BAD_USER_INPUT (rule range).';
export const afterDescription =
  'Return the items after this cursor (the endCursor of the previous page). A cursor of another list or ' +
  'order gives BAD_USER_INPUT (rule cursor).';
