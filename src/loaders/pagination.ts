import { BadUserInputError } from '../errors/index.js';

/** One sort key of an ordering: a column, its direction, its SQL type and the row property holding it. */
export interface SortKey {
  column: string;
  property: string;
  descending: boolean;
  type: 'integer' | 'timestamptz' | 'text';
}

/** A total order over rows: its last key is unique (the id), so cursors are stable. */
export interface Ordering {
  name: string;
  keys: readonly SortKey[];
  /** The list's order read the other way ({@link directed}); its cursors are the list's own. */
  reversed?: true;
}

/**
 * What a client asked for: at most `first` rows after the row `after` points at or, `backward`
 * (Relay's `last` and `before`), the `first` rows just before it, still in the list's order.
 */
export interface PageArgs {
  first: number;
  after: string | null | undefined;
  /** @default false */
  backward?: boolean;
}

/** Which list a cursor belongs to ("answers of question 12"), so a cursor of another list is refused. */
export type ListScope = string;

/** One page of a connection, before GraphQL shapes it. */
export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number | (() => Promise<number>);
}

export const maxPageSize = 100;

/** Rejects a page size outside 1..100 with BAD_USER_INPUT naming `field`. */
export function checkFirst(first: number, field: 'first' | 'last' = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw new BadUserInputError(`${field} must be between 1 and ${maxPageSize}, got ${first}`, {
      field,
      rule: 'range',
      min: 1,
      max: maxPageSize,
    });
  }
  return first;
}

/** Which way and from where a page reads, for a loader's cache key. */
export function pageKeyOf(args: PageArgs): string {
  return `${args.backward ? 'before' : 'after'}:${args.after ?? ''}`;
}

const reversedOrderings = new WeakMap<Ordering, Ordering>();

/**
 * The ordering a page reads its rows in: `ordering` itself, or backward the same keys each the other
 * way (one object per ordering, so batches group by it), whose rows {@link toPage} turns back.
 */
export function directed(ordering: Ordering, args: Pick<PageArgs, 'backward'>): Ordering {
  if (!args.backward) return ordering;
  let reversed = reversedOrderings.get(ordering);
  if (reversed === undefined) {
    const keys = ordering.keys.map((key) => ({ ...key, descending: !key.descending }));
    reversed = { name: ordering.name, keys, reversed: true };
    reversedOrderings.set(ordering, reversed);
  }
  return reversed;
}

type CursorValue = string | number;

function cursorValue(value: unknown): CursorValue {
  return value instanceof Date ? value.toISOString() : (value as CursorValue);
}

/** The opaque cursor of `row` in a list: base64url JSON of the ordering's name, the list and the key values. */
export function encodeCursor(ordering: Ordering, scope: ListScope, row: Record<string, unknown>): string {
  const values = ordering.keys.map((key) => cursorValue(row[key.property]));
  return Buffer.from(JSON.stringify([ordering.name, scope, ...values])).toString('base64url');
}

function isValueOf(key: SortKey, value: unknown): boolean {
  if (key.type === 'integer') return Number.isSafeInteger(value);
  if (key.type === 'timestamptz') return typeof value === 'string' && !Number.isNaN(Date.parse(value));
  return typeof value === 'string';
}

function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    return undefined;
  }
}

function cursorError(field: 'after' | 'before', what: string): BadUserInputError {
  return new BadUserInputError(`${field} is not a cursor ${what}`, { field, rule: 'cursor' });
}

/**
 * Refuses what is no cursor of any list (BAD_USER_INPUT, rule `cursor`): a list that turns out empty
 * or absent still tells a client that its cursor is garbage.
 */
export function checkCursor(cursor: string, field: 'after' | 'before'): string {
  const decoded = parseCursor(cursor);
  const valid =
    Array.isArray(decoded) && decoded.length > 2 && typeof decoded[0] === 'string' && typeof decoded[1] === 'string';
  if (!valid) throw cursorError(field, 'of this API');
  return cursor;
}

/**
 * The key values inside the cursor of `args` (its `after`, or backward its `before`); one from
 * another list or ordering gives BAD_USER_INPUT.
 */
export function decodeCursor(ordering: Ordering, scope: ListScope, args: PageArgs & { after: string }): CursorValue[] {
  const decoded = parseCursor(args.after);
  const valid =
    Array.isArray(decoded) &&
    decoded.length === ordering.keys.length + 2 &&
    decoded[0] === ordering.name &&
    decoded[1] === scope &&
    ordering.keys.every((key, i) => isValueOf(key, decoded[i + 2]));
  if (!valid) throw cursorError(args.backward ? 'before' : 'after', 'of this list and order');
  return (decoded as CursorValue[]).slice(2);
}

/**
 * SQL that is true for rows strictly after the cursor in `ordering`, reading the cursor's values
 * from `valueSql(i)` (a parameter or a column of a batch's key table).
 */
export function afterCondition(ordering: Ordering, alias: string, valueSql: (i: number) => string): string {
  const branches = ordering.keys.map((key, i) => {
    const equal = ordering.keys.slice(0, i).map((k, j) => `${alias}.${k.column} = ${valueSql(j)}`);
    const beyond = `${alias}.${key.column} ${key.descending ? '<' : '>'} ${valueSql(i)}`;
    return `(${[...equal, beyond].join(' AND ')})`;
  });
  return `(${branches.join(' OR ')})`;
}

/** The ORDER BY list of `ordering`. */
export function orderBy(ordering: Ordering, alias: string): string {
  return ordering.keys.map((k) => `${alias}.${k.column} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
}

/**
 * An edge whose cursor is encoded only when read: most pages are asked for their nodes alone. The
 * getter is an own enumerable property, so `{ ...edge }` still copies the cursor.
 */
function edgeOf<N>(ordering: Ordering, scope: ListScope, row: Record<string, unknown>, node: N) {
  return {
    node,
    get cursor(): string {
      return encodeCursor(ordering, scope, row);
    },
  };
}

/**
 * Turns `first + 1` fetched rows into a page: the extra row only tells that there is a further page.
 * Backward, the rows come nearest the cursor first ({@link directed}) and are put back in list order.
 */
export function toPage<T extends Record<string, unknown>, N>(
  ordering: Ordering,
  scope: ListScope,
  rows: T[],
  args: PageArgs,
  toNode: (row: T) => N,
  totalCount: Page<N>['totalCount'],
): Page<N> {
  const hasMore = rows.length > args.first;
  const kept = rows.slice(0, args.first);
  if (args.backward) kept.reverse();
  return {
    edges: kept.map((row) => edgeOf(ordering, scope, row, toNode(row))),
    hasNextPage: args.backward ? args.after != null : hasMore,
    hasPreviousPage: args.backward ? hasMore : args.after != null,
    totalCount,
  };
}

/** One key of a batch of pages: whose page, which list its cursor must belong to, how much of it. */
export interface BatchPageKey extends PageArgs {
  parent: number;
  scope: ListScope;
}

/**
 * SQL reading one page per key in one statement: the keys' parents, page sizes and cursor values are
 * unnested from parameters `$from` onwards ({@link batchPageParams}), and each key reads `first + 1`
 * rows through `page(parent, after)`, the SELECT … WHERE of its rows (table alias `alias`) given SQL
 * naming the key's parent and SQL true past its cursor. Each row comes back with its `keyIndex`, from 1.
 */
export function batchPagesSql(
  ordering: Ordering,
  alias: string,
  from: number,
  page: (parent: string, after: string) => string,
): string {
  const columns = ordering.keys.map((_, i) => `c${i}`);
  const types = ['integer', 'integer', ...ordering.keys.map((key) => key.type)];
  const unnest = types.map((type, i) => `$${from + i}::${type}[]`).join(', ');
  const after = `(k.c${columns.length - 1} IS NULL OR ${afterCondition(ordering, alias, (i) => `k.c${i}`)})`;
  return `SELECT k.i::integer AS "keyIndex", page.*
    FROM unnest(${unnest}) WITH ORDINALITY AS k(parent, lim, ${columns.join(', ')}, i)
    CROSS JOIN LATERAL (${page('k.parent', after)} ORDER BY ${orderBy(ordering, alias)} LIMIT k.lim + 1) page`;
}

/** The parameters {@link batchPagesSql} unnests: parents, page sizes, then each cursor value. */
export function batchPageParams(ordering: Ordering, keys: readonly BatchPageKey[]): unknown[] {
  const cursors = keys.map((key) =>
    key.after == null ? null : decodeCursor(ordering, key.scope, { ...key, after: key.after }),
  );
  return [
    keys.map((key) => key.parent),
    keys.map((key) => key.first),
    ...ordering.keys.map((_, i) => cursors.map((values) => (values ? values[i] : null))),
  ];
}

/** Splits the rows of {@link batchPagesSql} into each key's page. */
export function batchToPages<K extends BatchPageKey, R extends Record<string, unknown>, N>(
  ordering: Ordering,
  keys: readonly K[],
  rows: ReadonlyArray<R & { keyIndex: number }>,
  toNode: (row: R) => N,
  totalCount: (key: K) => Page<N>['totalCount'],
): Array<Page<N>> {
  return keys.map((key, i) =>
    toPage(
      ordering,
      key.scope,
      rows.filter((row) => row.keyIndex === i + 1),
      key,
      toNode,
      totalCount(key),
    ),
  );
}
