import { Answer } from '../../entities/answer.entity.js';
import type { Post, PostKind } from '../../entities/post.entity.js';
import { Question } from '../../entities/question.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import { Tag } from '../../entities/tag.entity.js';
import { User } from '../../entities/user.entity.js';

/** The columns of a post row but its rendered HTML, aliased to entity property names. */
const postColumnsButHtml = `p.id AS "rowId", p.kind, p.author_id AS "authorId", p.body, p.score, p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.deleted_at AS "deletedAt",
  p.title, p.last_activity_at AS "lastActivityAt", p.answer_count AS "answerCount",
  p.follower_count AS "followerCount", p.accepted_answer_id AS "acceptedAnswerId",
  p.question_id AS "questionId", p.answer_id AS "answerId", p.reply_count AS "replyCount",
  p.edited_at AS "editedAt", p.revision_count AS "revisionCount",
  p.closed_at AS "closedAt", p.close_reason AS "closeReason", p.duplicate_of_id AS "duplicateOfId",
  p.locked_at AS "lockedAt", p.hidden_at AS "hiddenAt"`;

/** The columns of a post row, aliased to entity property names. */
export const postColumns = `${postColumnsButHtml}, p.body_html AS "bodyHtml"`;

/** The columns of a user row; never the password hash. */
export const userColumns = `u.id AS "rowId", u.username, u.display_name AS "displayName", u.bio,
  u.reputation, u.created_at AS "createdAt", u.role, u.suspended_until AS "suspensionEnd"`;

export const tagColumns = `t.id AS "rowId", t.name, t.question_count AS "questionCount"`;

/** {@link tagColumns} as the arguments of json_build_object. */
const tagJson = `'rowId', t.id, 'name', t.name, 'questionCount', t.question_count`;

export type PostRow = Record<string, unknown> & { kind: PostKind };

/**
 * What rides along with each post row a loader reads: its author, the viewer's vote and, for a
 * question, its tags. They prime the user, viewerVote and tagsOfQuestion loaders, so a page costs
 * no statement per level for them. `withHtml` false leaves out the rendered body, for an operation
 * that asks for no `bodyHTML`: decoding it was a tenth of the thread page's time.
 */
export function postReadColumns(viewerParam: string, withHtml = true): { select: string; join: string } {
  return {
    select: `${withHtml ? postColumns : postColumnsButHtml}, u.username AS "authorUsername", u.display_name AS "authorDisplayName",
      u.bio AS "authorBio", u.reputation AS "authorReputation", u.created_at AS "authorCreatedAt",
      u.role AS "authorRole", u.suspended_until AS "authorSuspensionEnd",
      vv.value AS "viewerValue",
      CASE WHEN p.kind = 'question' THEN (
        SELECT coalesce(json_agg(json_build_object(${tagJson}) ORDER BY qt.position), '[]')
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
  authorSuspensionEnd: Date | null;
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
    authorSuspensionEnd,
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
    suspensionEnd: authorSuspensionEnd,
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

/** Turns post rows read with {@link postReadColumns} into posts, for one viewer. */
export interface PostReader {
  /** Whose vote rides along (null: anonymous). */
  viewerId: number | null;
  read(row: PostReadRow): Post;
}
