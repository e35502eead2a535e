import { directed, orderBy, type Ordering } from './pagination.js';
import { answerList, liveChildrenOf, replyList, scopePrefix } from './pages.js';

/**
 * One field of a thread page as a query selects it, its arguments resolved: what
 * {@link pageStatement} turns into SQL. The types it may stand in are those of {@link fieldsOf}.
 */
export interface PageField {
  /** The response key: the alias, or the field's name. */
  key: string;
  /** The schema's name of the field. */
  name: string;
  /** The fields selected under an object, a list or a connection. */
  selection?: PageField[];
  /** A connection's page: how many, in which order. */
  page?: { first: number; ordering: Ordering };
}

/** The types a compiled page reaches. */
export type PageType =
  | 'Question'
  | 'Answer'
  | 'Reply'
  | 'User'
  | 'Tag'
  | 'AnswerConnection'
  | 'ReplyConnection'
  | 'AnswerEdge'
  | 'ReplyEdge'
  | 'PageInfo';

/** Where a field is read: its row's alias, the enclosing question's, the statement being built. */
interface Scope {
  alias: string;
  question: string;
  statement: Statement;
}

/**
 * The statement's parameters and aliases as it is built: its text is a function of the page's shape
 * alone, and of whether there is a viewer; the question's and the viewer's ids are given per request.
 */
class Statement {
  /** The values of the parameters; null where the question's id and the viewer's go. */
  readonly values: unknown[] = [];
  private aliases = 0;
  viewerAt: number | undefined;

  constructor(private readonly signedIn: boolean) {}

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  alias(prefix: string): string {
    this.aliases += 1;
    return `${prefix}${this.aliases}`;
  }

  /** The viewer's id as a parameter, or null when anonymous: the statement then reads no vote at all. */
  viewer(): string | null {
    if (!this.signedIn) return null;
    this.viewerAt ??= this.values.push(null) - 1;
    return `$${this.viewerAt + 1}`;
  }
}

type FieldSql = (scope: Scope, field: PageField) => string;

// The JSON of each value, as JSON.stringify writes it: PostgreSQL's to_json escapes strings the same way.
const text = (column: string) => `to_json(${column})::text`;
const int = (column: string) => `${column}::text`;
const orNull = (sql: string) => `coalesce(${sql}, 'null')`;
const date = (column: string) => `'"' || to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`;
/**
 * base64url without padding, as Buffer#toString('base64url') gives it (ids, cursors): encode()
 * breaks its base64 into lines of 76 characters, and translate drops the breaks and the padding.
 */
const base64url = (sql: string) =>
  `'"' || translate(encode(convert_to(${sql}, 'UTF8'), 'base64'), E'+/=\\n', '-_') || '"'`;
const globalId =
  (type: string): FieldSql =>
  (s) =>
    base64url(`'${type}:' || ${s.alias}.id`);
const column =
  (name: string, as: (sql: string) => string): FieldSql =>
  (s) =>
    as(`${s.alias}.${name}`);
const typename =
  (type: string): FieldSql =>
  () =>
    `'"${type}"'`;

/** `{"key":value,…}` of `selection`, each value read by `fields`. */
function objectSql(scope: Scope, fields: Record<string, FieldSql>, selection: readonly PageField[]): string {
  const members = selection.map(
    (field, i) => `'${i === 0 ? '{' : ','}"${field.key}":' || ${fields[field.name](scope, field)}`,
  );
  return `${members.join(' || ')} || '}'`;
}

/** `[…]` of one object per row of `from` (SQL with `alias`), in `order`; `[]` when there is none. */
function arraySql(element: string, from: string, order: string): string {
  return `(SELECT '[' || coalesce(string_agg(${element}, ',' ORDER BY ${order}), '') || ']' FROM ${from})`;
}

const viewerVote: FieldSql = (s) => {
  const viewer = s.statement.viewer();
  if (viewer === null) return `'null'`;
  return orNull(`(SELECT CASE v.value WHEN 1 THEN '"UP"' ELSE '"DOWN"' END FROM vote v
    WHERE v.post_id = ${s.alias}.id AND v.user_id = ${viewer})`);
};

const author: FieldSql = (s, field) => {
  const user = s.statement.alias('u');
  const inner = { ...s, alias: user };
  return `(SELECT ${objectSql(inner, userFields, field.selection ?? [])} FROM "user" ${user} WHERE ${user}.id = ${s.alias}.author_id)`;
};

const postFields = (type: 'Question' | 'Answer' | 'Reply'): Record<string, FieldSql> => ({
  __typename: typename(type),
  id: globalId(type),
  body: column('body', text),
  score: column('score', int),
  createdAt: column('created_at', date),
  updatedAt: column('updated_at', date),
  bodyHTML: column('body_html', text),
  editedAt: column('edited_at', (sql) => orNull(date(sql))),
  revisionCount: column('revision_count', int),
  viewerVote,
  author,
});

const userFields: Record<string, FieldSql> = {
  __typename: typename('User'),
  id: globalId('User'),
  username: column('username', text),
  displayName: column('display_name', text),
};

const tagFields: Record<string, FieldSql> = {
  __typename: typename('Tag'),
  id: globalId('Tag'),
  name: column('name', text),
};

/**
 * A connection of the live children of the row in scope, a first page of them as the connection
 * resolvers read it: `nodes`, or `edges` with each one's cursor (as encodeCursor writes it),
 * `pageInfo`, and `totalCount` (the row's counter).
 */
function connection(type: 'Answer' | 'Reply', counter: string): FieldSql {
  const list = type === 'Answer' ? answerList : replyList;
  const nodeFields = () => (type === 'Answer' ? answerFields : replyFields);
  return (s, field) => {
    const { first, ordering } = field.page!;
    const live = liveChildrenOf(list, `${s.alias}.id`);
    /** The page's rows as `alias`: `limit` of them, the page's size unless given. */
    const rows = (alias: string, limit = s.statement.param(first)) =>
      `(SELECT p.* FROM post p WHERE ${live} ORDER BY ${orderBy(ordering, 'p')} LIMIT ${limit}) ${alias}`;
    const child = () => {
      const alias = s.statement.alias(type === 'Answer' ? 'a' : 'r');
      return { alias, scope: { ...s, alias, question: type === 'Answer' ? s.alias : s.question } };
    };
    const cursor = (alias: string) => {
      const values = ordering.keys.map(({ column: name, type: kind }) =>
        kind === 'integer'
          ? int(`${alias}.${name}`)
          : kind === 'timestamptz'
            ? date(`${alias}.${name}`)
            : text(`${alias}.${name}`),
      );
      const scope = text(`'${scopePrefix(list)}' || ${s.alias}.id`);
      return base64url(`'["${ordering.name}",' || ${scope} || ',' || ${values.join(` || ',' || `)} || ']'`);
    };
    /** The cursor of the page's first row in `order` (its last, reversed), or null. */
    const firstCursor = (order: Ordering) => {
      const { alias } = child();
      return orNull(`(SELECT ${cursor(alias)} FROM ${rows(alias)} ORDER BY ${orderBy(order, alias)} LIMIT 1)`);
    };
    /** The page's rows, each as an object of `fields`. */
    const itemsOf =
      (fields: Record<string, FieldSql>): FieldSql =>
      (_, items) => {
        const { alias, scope } = child();
        return arraySql(objectSql(scope, fields, items.selection ?? []), rows(alias), orderBy(ordering, alias));
      };
    const edgeFields: Record<string, FieldSql> = {
      __typename: typename(`${type}Edge`),
      cursor: (edge) => cursor(edge.alias),
      node: (edge, node) => objectSql(edge, nodeFields(), node.selection ?? []),
    };
    const pageInfoFields: Record<string, FieldSql> = {
      __typename: typename('PageInfo'),
      hasNextPage: () => {
        const size = s.statement.param(first);
        return `(SELECT CASE WHEN count(*) > ${size} THEN 'true' ELSE 'false' END FROM ${rows('x', `${size} + 1`)})`;
      },
      // A first page read forward: nothing before it.
      hasPreviousPage: () => `'false'`,
      startCursor: () => firstCursor(ordering),
      endCursor: () => firstCursor(directed(ordering, { backward: true })),
    };
    const connectionFields: Record<string, FieldSql> = {
      __typename: typename(`${type}Connection`),
      totalCount: column(counter, int),
      nodes: itemsOf(nodeFields()),
      edges: itemsOf(edgeFields),
      pageInfo: (_, pageInfo) => objectSql(s, pageInfoFields, pageInfo.selection ?? []),
    };
    return objectSql(s, connectionFields, field.selection ?? []);
  };
}

const questionFields: Record<string, FieldSql> = {
  ...postFields('Question'),
  title: column('title', text),
  lastActivityAt: column('last_activity_at', date),
  answerCount: column('answer_count', int),
  followerCount: column('follower_count', int),
  closedAt: column('closed_at', (sql) => orNull(date(sql))),
  eventCursor: (s) => base64url(`'thread:' || ${s.alias}.id || ':' || ${s.alias}.event_seq`),
  tags: (s, field) => {
    const tag = s.statement.alias('t');
    return arraySql(
      objectSql({ ...s, alias: tag }, tagFields, field.selection ?? []),
      `question_tag qt JOIN tag ${tag} ON ${tag}.id = qt.tag_id WHERE qt.question_id = ${s.alias}.id`,
      'qt.position',
    );
  },
  answers: connection('Answer', 'answer_count'),
};

const answerFields: Record<string, FieldSql> = {
  ...postFields('Answer'),
  replyCount: column('reply_count', int),
  isAccepted: (s) => `CASE WHEN ${s.question}.accepted_answer_id = ${s.alias}.id THEN 'true' ELSE 'false' END`,
  replies: connection('Reply', 'reply_count'),
};

const replyFields: Record<string, FieldSql> = postFields('Reply');

const connectionFieldNames = new Set(['__typename', 'totalCount', 'nodes', 'edges', 'pageInfo']);
const edgeFieldNames = new Set(['__typename', 'cursor', 'node']);

/** The fields of each type a compiled page may select; any other sends the query through graphql-js. */
export const fieldsOf: Readonly<Record<PageType, ReadonlySet<string>>> = {
  Question: new Set(Object.keys(questionFields)),
  Answer: new Set(Object.keys(answerFields)),
  Reply: new Set(Object.keys(replyFields)),
  User: new Set(Object.keys(userFields)),
  Tag: new Set(Object.keys(tagFields)),
  AnswerConnection: connectionFieldNames,
  ReplyConnection: connectionFieldNames,
  AnswerEdge: edgeFieldNames,
  ReplyEdge: edgeFieldNames,
  PageInfo: new Set(['__typename', 'hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),
};

/** A page's statement: its text, and its parameters' values for a question and a viewer. */
export interface PageStatement {
  text: string;
  values(questionId: number, viewerId: number | null): unknown[];
}

/**
 * `question(id:)` with `selection` under response key `key` as one statement whose one row's `body`
 * is the whole response, `{"data":{…}}`, byte for byte as graphql-js and Apollo would write it: the
 * question as the question resolver reads it (not deleted, a question), its answers and replies as
 * the connections page them, each post's author and, when `signedIn`, the viewer's vote read
 * alongside. PostgreSQL writes the JSON, so no row becomes a JavaScript object.
 */
export function pageStatement(key: string, selection: readonly PageField[], signedIn: boolean): PageStatement {
  const statement = new Statement(signedIn);
  const id = statement.param(null);
  const question = objectSql({ alias: 'q', question: 'q', statement }, questionFields, selection);
  const text = `SELECT '{"data":{"${key}":' || coalesce((SELECT ${question} FROM post q
    WHERE q.id = ${id} AND q.kind = 'question' AND q.deleted_at IS NULL), 'null') || '}}' AS body`;
  const { values: template, viewerAt } = statement;
  return {
    text,
    values: (questionId, viewerId) => {
      const values = [questionId, ...template.slice(1)];
      if (viewerAt !== undefined) values[viewerAt] = viewerId;
      return values;
    },
  };
}
