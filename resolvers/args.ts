import { Kind, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import { ArgsType, Field, Int } from 'type-graphql';
import type { PageArgs } from '../src/loaders/pagination.js';
import { checkCursor, checkFirst } from '../src/loaders/pagination.js';
import { BadUserInputError } from '../src/errors/index.js';

/**
 * Items in a page when `first` is omitted or null: questions, answers, posts, notifications and
 * search results. The thread page's one-statement read (question.resolver.ts) reads it too, so the
 * page it reads ahead is the page the field asks for.
 */
export const defaultPageSize = 10;
/** Items in a page of short items, an answer's replies and tags, when `first` is omitted or null. */
export const shortItemsPageSize = 20;

/** A connection's backward arguments, and where to see whether the query wrote `first`. */
export interface BackwardArgs {
  last: number | null | undefined;
  before: string | null | undefined;
  /** The field's nodes and variables: `first` has a default, so only the query tells it was given. */
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'variableValues'>;
}

/** Whether the query gives argument `name` a value other than null in one of `nodes`. */
export function argumentGiven(nodes: readonly FieldNode[], variables: Record<string, unknown>, name: string): boolean {
  return nodes.some((node) =>
    node.arguments?.some(
      (arg) =>
        arg.name.value === name &&
        (arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] != null : arg.value.kind !== Kind.NULL),
    ),
  );
}

function exclusive(field: string, other: string): BadUserInputError {
  return new BadUserInputError(`${field} cannot be given together with ${other}: page forward or backward`, {
    field,
    rule: 'exclusive',
    with: other,
  });
}

/**
 * Parses a connection's arguments (Relay's): forward, `first` (1-100; null means the field's
 * default, `fallback`) items after `after`; backward, `last` (1-100, `fallback` when only `before` is
 * given) items before `before`. Mixing the two ways, or a string that is no cursor, is BAD_USER_INPUT.
 */
export function pageArgs(
  first: number | null | undefined,
  after: string | null | undefined,
  fallback: number,
  backward?: BackwardArgs,
): PageArgs {
  const { last, before, info } = backward ?? { last: null, before: null, info: undefined };
  if (last == null && before == null) {
    return { first: checkFirst(first ?? fallback), after: after == null ? null : checkCursor(after, 'after') };
  }
  if (info && argumentGiven(info.fieldNodes, info.variableValues, 'first')) throw exclusive('first', 'last');
  if (after != null) throw exclusive('after', 'before');
  return {
    first: checkFirst(last ?? fallback, 'last'),
    after: before == null ? null : checkCursor(before, 'before'),
    backward: true,
  };
}

const firstDescription =
  'How many items to return from the start or after `after`, 1-100; outside that, BAD_USER_INPUT (rule range).';
const afterDescription =
  'Return the items after this cursor (the endCursor of the previous page). A cursor of another list or ' +
  'order gives BAD_USER_INPUT (rule cursor).';
const lastDescription =
  'How many items to return from the end or before `before`, in the list order, 1-100; outside that, ' +
  'BAD_USER_INPUT (rule range). With `first` or `after`: BAD_USER_INPUT (rule exclusive).';
const beforeDescription =
  'Return the items just before this cursor (the startCursor of the page after), in the list order. A ' +
  'cursor of another list or order gives BAD_USER_INPUT (rule cursor).';

/** A connection's arguments as the schema declares them, and the page they ask for. */
export interface ConnectionArgs {
  first: number | null;
  after: string | null | undefined;
  last: number | null | undefined;
  before: string | null | undefined;
  /** The page asked for, parsed as `pageArgs` says; `info` tells whether the query wrote `first`. */
  page(info: BackwardArgs['info']): PageArgs;
}

/** The arguments of a connection whose `first` defaults to `pageSize`: one class per page size. */
function connectionArgsOf(pageSize: number): new () => ConnectionArgs {
  @ArgsType()
  class PageSizeArgs implements ConnectionArgs {
    // Declared last to first: the order in which the schema has always served them (type-graphql
    // lists a method's separate @Arg parameters that way), so introspection stays as it was.
    @Field(() => String, { nullable: true, description: beforeDescription })
    before: string | null | undefined;

    @Field(() => Int, { nullable: true, description: lastDescription })
    last: number | null | undefined;

    @Field(() => String, { nullable: true, description: afterDescription })
    after: string | null | undefined;

    @Field(() => Int, { nullable: true, defaultValue: pageSize, description: firstDescription })
    first: number | null;

    page(info: BackwardArgs['info']): PageArgs {
      return pageArgs(this.first, this.after, pageSize, { last: this.last, before: this.before, info });
    }
  }
  return PageSizeArgs;
}

/** `first`, `after`, `last`, `before` of a connection of `defaultPageSize` items. */
export const PageArgsType = connectionArgsOf(defaultPageSize);
/** `first`, `after`, `last`, `before` of a connection of `shortItemsPageSize` short items. */
export const ShortPageArgsType = connectionArgsOf(shortItemsPageSize);
