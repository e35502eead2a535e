import { Answer } from '../../entities/answer.entity.js';
import { Flag } from '../../entities/flag.entity.js';
import { ModerationAction } from '../../entities/moderation-action.entity.js';
import { Notification } from '../../entities/notification.entity.js';
import type { Post, PostKind } from '../../entities/post.entity.js';
import { Question } from '../../entities/question.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import { Tag } from '../../entities/tag.entity.js';
import { User } from '../../entities/user.entity.js';

/** The columns of a post row but its rendered HTML. */
const postColumnsButHtml = [
  'id',
  'kind',
  'author_id',
  'body',
  'score',
  'created_at',
  'updated_at',
  'deleted_at',
  'title',
  'last_activity_at',
  'answer_count',
  'follower_count',
  'accepted_answer_id',
  'question_id',
  'answer_id',
  'reply_count',
  'edited_at',
  'revision_count',
  'event_seq',
  'closed_at',
  'close_reason',
  'duplicate_of_id',
  'locked_at',
  'hidden_at',
] as const;

/** The columns of a post row that its entities map (test/entities.test.ts checks them against the table). */
export const postColumns = [...postColumnsButHtml, 'body_html'] as const;

/** The columns of a user row; never the password hash. */
export const userColumns = [
  'id',
  'username',
  'display_name',
  'bio',
  'reputation',
  'created_at',
  'role',
  'suspended_until',
] as const;

export const tagColumns = ['id', 'name', 'question_count'] as const;

export const notificationColumns = ['id', 'user_id', 'kind', 'post_id', 'created_at', 'read_at'] as const;

/** The entity property a column is read into: `rowId` for `id` (an entity's `id` is its global id), else camelCase. */
function propertyOf(column: string): string {
  return column === 'id' ? 'rowId' : column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * `columns` as a select list of entity properties (`p.author_id AS "authorId"`), each column prefixed
 * with `alias.` when given; without one, for a RETURNING clause.
 */
export function selectList(columns: readonly string[], alias?: string): string {
  const prefix = alias === undefined ? '' : `${alias}.`;
  return columns
    .map((column) => {
      const property = propertyOf(column);
      return property === column ? `${prefix}${column}` : `${prefix}${column} AS "${property}"`;
    })
    .join(', ');
}

/** `columns` of `alias` as the arguments of json_build_object, keyed by entity property. */
function jsonFields(columns: readonly string[], alias: string): string {
  return columns.map((column) => `'${propertyOf(column)}', ${alias}.${column}`).join(', ');
}

/** The select lists of the aliases the statements give each table: `post p`, `"user" u`, `tag t`. */
export const postSelect = selectList(postColumns, 'p');
export const userSelect = selectList(userColumns, 'u');
export const tagSelect = selectList(tagColumns, 't');
const postSelectButHtml = selectList(postColumnsButHtml, 'p');

export type PostRow = Record<string, unknown> & { kind: PostKind };

/**
 * What rides along with each post row a loader reads: its author, the viewer's vote and, for a
 * question, its tags. They prime the user, viewerVote and tagsOfQuestion loaders, so a page costs
 * no statement per level for them. `withHtml` false leaves out the rendered body, for an operation
 * that asks for no `bodyHTML`: decoding it was a tenth of the thread page's time.
 */
export function postReadColumns(viewerParam: string, withHtml = true): { select: string; join: string } {
  return {
    select: `${withHtml ? postSelect : postSelectButHtml}, u.username AS "authorUsername", u.display_name AS "authorDisplayName",
      u.bio AS "authorBio", u.reputation AS "authorReputation", u.created_at AS "authorCreatedAt",
      u.role AS "authorRole", u.suspended_until AS "authorSuspendedUntil",
      vv.value AS "viewerValue",
      CASE WHEN p.kind = 'question' THEN (
        SELECT coalesce(json_agg(json_build_object(${jsonFields(tagColumns, 't')}) ORDER BY qt.position), '[]')
          FROM question_tag qt JOIN tag t ON t.id = qt.tag_id WHERE qt.question_id = p.id
      ) END AS "tags"`,
    join: `JOIN "user" u ON u.id = p.author_id
      LEFT JOIN vote vv ON vv.post_id = p.id AND vv.user_id = ${viewerParam}`,
  };
}

/** A post row read with {@link postReadColumns}. */
export type PostReadRow = PostRow & {
  authorUsername: string;
  authorDisplayName: string;
  authorBio: string | null;
  authorReputation: number;
  authorCreatedAt: Date;
  authorRole: string;
  authorSuspendedUntil: Date | null;
  viewerValue: 1 | -1 | null;
  /** A question's tags in order; null for answers and replies. */
  tags: Array<Record<string, unknown>> | null;
};

/** Splits a {@link PostReadRow} into the post, its author, the viewer's vote and a question's tags. */
export function splitPostRead(row: PostReadRow): {
  post: Post;
  author: User;
  viewerValue: 1 | -1 | null;
  tags: Tag[] | null;
} {
  const {
    authorUsername,
    authorDisplayName,
    authorBio,
    authorReputation,
    authorCreatedAt,
    authorRole,
    authorSuspendedUntil,
    viewerValue,
    tags,
    ...post
  } = row;
  const author = toUser({
    rowId: row.authorId,
    username: authorUsername,
    displayName: authorDisplayName,
    bio: authorBio,
    reputation: authorReputation,
    createdAt: authorCreatedAt,
    role: authorRole,
    suspendedUntil: authorSuspendedUntil,
  });
  return { post: toPost(post as PostRow), author, viewerValue, tags: tags && tags.map(toTag) };
}

const postClasses = { question: Question, answer: Answer, reply: Reply } as const;

/** A post row as its entity class, so GraphQL resolves its concrete type. */
export function toPost(row: PostRow): Post {
  return Object.assign(new postClasses[row.kind](), row);
}

export function toUser(row: Record<string, unknown>): User {
  return Object.assign(new User(), row);
}

export function toTag(row: Record<string, unknown>): Tag {
  return Object.assign(new Tag(), row);
}

export function toNotification(row: Record<string, unknown>): Notification {
  return Object.assign(new Notification(), row);
}

const flagColumns = [
  'id',
  'post_id',
  'flagger_id',
  'reason',
  'note',
  'status',
  'created_at',
  'handled_by_id',
  'handled_at',
];
const actionColumns = ['id', 'kind', 'moderator_id', 'post_id', 'user_id', 'reason', 'created_at'];

/** A flag row's columns as entity properties, the flag table being `f`. */
export const flagSelect = selectList(flagColumns, 'f');
/** A moderation_action row's columns as entity properties, the table being `a`. */
export const actionSelect = selectList(actionColumns, 'a');

export function toFlag(row: Record<string, unknown>): Flag {
  return Object.assign(new Flag(), row);
}

export function toAction(row: Record<string, unknown>): ModerationAction {
  return Object.assign(new ModerationAction(), row);
}

/** Turns post rows read with {@link postReadColumns} into posts, for one viewer. */
export interface PostReader {
  /** Whose vote rides along (null: anonymous). */
  viewerId: number | null;
  read(row: PostReadRow): Post;
}
