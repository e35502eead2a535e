import DataLoader from 'dataloader';
import type { Database } from '../db/database.js';
import type { Answer } from '../../entities/answer.entity.js';
import type { Flag } from '../../entities/flag.entity.js';
import type { ModerationAction } from '../../entities/moderation-action.entity.js';
import type { Notification } from '../../entities/notification.entity.js';
import type { PostRevision } from '../../entities/post-revision.entity.js';
import type { Post } from '../../entities/post.entity.js';
import type { Question } from '../../entities/question.entity.js';
import type { Reply } from '../../entities/reply.entity.js';
import type { Tag } from '../../entities/tag.entity.js';
import type { User } from '../../entities/user.entity.js';
import type { Viewer } from '../auth/viewer.js';
import { questionPage, tagPage } from './lists.js';
import { actionPage, anyPostLoader, flagPage } from './moderation.js';
import { notificationLoader, notificationPage } from './notifications.js';
import { unreadNotificationCount } from '../db/notifications.js';
import { splitPostRead, type PostReader } from '../db/rows.js';
import { answerList, childPageLoader, postWithChildren, replyList, type ChildPageKey } from './pages.js';
import { replyOrdering } from './orderings.js';
import type { Ordering, Page, PageArgs } from './pagination.js';
import {
  always,
  bodyHtmlLoader,
  followsLoader,
  forViewer,
  postLoader,
  visiblePostLoader,
  votesLoader,
} from './posts.js';
import { revisionPageLoader, type RevisionPageKey } from './revisions.js';
import { searchPage, type SearchPage } from './search.js';
import { tagByNameLoader, tagLoader, tagsOfQuestionLoader } from './tags.js';
import { authoredCountLoader, mentionsLoader, userByUsernameLoader, userLoader } from './users.js';

/** Every batched read a request may make. Built per request, so nothing is cached across viewers. */
export interface Loaders {
  user: DataLoader<number, User | null>;
  userByUsername: DataLoader<string, User | null>;
  post: DataLoader<number, Post | null>;
  tag: DataLoader<number, Tag | null>;
  tagByName: DataLoader<string, Tag | null>;
  tagsOfQuestion: DataLoader<number, Tag[]>;
  mentions: DataLoader<number, User[]>;
  authoredCount: DataLoader<string, number>;
  viewerVote: DataLoader<number, 1 | -1 | null>;
  /**
   * The author that rode along with each post read here, and the viewer's vote on it (when read for
   * this viewer): a field resolver answers from them without a promise, which spares graphql-js a
   * deferred value per post. Anything missing goes through `user` and `viewerVote`.
   */
  authorOf: Map<Post, User>;
  viewerVoteOf: Map<Post, 1 | -1 | null>;
  viewerFollows: DataLoader<number, boolean>;
  answersOfQuestion: DataLoader<ChildPageKey, Page<Answer>, string>;
  /**
   * A question read with one page of its answers and, when `replies` is given, the first page of each
   * answer's replies, in one statement; the pages are primed in `answersOfQuestion` and
   * `repliesOfAnswer`. For a query known to ask for them (the thread page). Null when absent.
   * `withHtml` false, for an operation that asks for no `bodyHTML`, leaves the posts' `bodyHtml` out.
   */
  questionWithAnswers(
    questionId: number,
    answers: PageArgs & { ordering: Ordering },
    replies: { first: number } | undefined,
    withHtml: boolean,
  ): Promise<Post | null>;
  /** The rendered body of posts read without it (see questionWithAnswers). */
  bodyHtml: DataLoader<number, string>;
  repliesOfAnswer: DataLoader<ChildPageKey, Page<Reply>, string>;
  questionsOfAuthor: DataLoader<ChildPageKey, Page<Question>, string>;
  answersOfAuthor: DataLoader<ChildPageKey, Page<Answer>, string>;
  revisionsOfPost: DataLoader<RevisionPageKey, Page<PostRevision>, string>;
  /** Top-level lists: one statement each, nothing to batch. */
  questions: (args: Parameters<typeof questionPage>[2]) => Promise<Page<Question>>;
  tags: (args: Parameters<typeof tagPage>[1]) => Promise<Page<Tag>>;
  search: (args: Parameters<typeof searchPage>[2]) => Promise<SearchPage>;
  notification: DataLoader<number, Notification | null>;
  /** The viewer's notifications (callers ensure there is a viewer). */
  notifications: (userId: number, args: Parameters<typeof notificationPage>[2]) => Promise<Page<Notification>>;
  unreadNotificationCount: (userId: number) => Promise<number>;
  /** Posts deleted or not, for moderators only (callers check). */
  anyPost: DataLoader<number, Post | null>;
  /** Posts by id as the viewer may read them: `post`, and deleted ones to their authors and moderators. */
  visiblePost: DataLoader<number, Post | null>;
  /** The moderators' queue and the moderation log (callers check the viewer moderates). */
  flags: (args: Parameters<typeof flagPage>[1]) => Promise<Page<Flag>>;
  moderationLog: (args: PageArgs) => Promise<Page<ModerationAction>>;
  /** Forgets every cached read: a mutation calls it so what it returns reflects its own write. */
  clearAll: () => void;
}

/** Creates the loaders of one request (or one subscription event) for `viewer`. */
export function createLoaders(db: Database, viewer: Viewer | null): Loaders {
  const userId = viewer?.userId ?? null;
  const reader: PostReader = {
    viewerId: userId,
    read: (row) => {
      const { post, author, viewerValue, tags } = splitPostRead(row);
      loaders.user.prime(author.rowId, author);
      loaders.viewerVote.prime(post.rowId, viewerValue);
      loaders.authorOf.set(post, author);
      loaders.viewerVoteOf.set(post, viewerValue);
      if (tags) loaders.tagsOfQuestion.prime(post.rowId, tags);
      return post;
    },
  };
  const post = postLoader(db, reader);
  const anyPost = anyPostLoader(db, reader);
  const loaders: Loaders = {
    user: userLoader(db),
    userByUsername: userByUsernameLoader(db),
    post,
    tag: tagLoader(db),
    tagByName: tagByNameLoader(db),
    tagsOfQuestion: tagsOfQuestionLoader(db),
    mentions: mentionsLoader(db),
    authoredCount: authoredCountLoader(db),
    viewerVote: userId === null ? always(null) : forViewer(votesLoader(db), userId),
    viewerFollows: userId === null ? always(false) : forViewer(followsLoader(db), userId),
    authorOf: new Map(),
    viewerVoteOf: new Map(),
    answersOfQuestion: childPageLoader(db, answerList, reader),
    questionWithAnswers: async (questionId, answers, replies, withHtml) => {
      const answerCount = (question: Post) => (question as Question).answerCount;
      const replyCount = (answer: Post) => (answer as Answer).replyCount;
      const read = await postWithChildren<Answer, Reply>(
        db,
        answerList,
        reader,
        { ...answers, parentId: questionId },
        answerCount,
        replies && { list: replyList, ordering: replyOrdering, first: replies.first, totalCountOf: replyCount },
        withHtml,
      );
      if (read === null) return null;
      loaders.post.prime(questionId, read.post);
      loaders.answersOfQuestion.prime(
        { ...answers, parentId: questionId, totalCount: read.page.totalCount },
        read.page,
      );
      if (replies) {
        for (const [answerId, page] of read.grandchildren) {
          const key = { first: replies.first, after: null, parentId: answerId, ordering: replyOrdering };
          loaders.repliesOfAnswer.prime({ ...key, totalCount: page.totalCount }, page);
        }
      }
      return read.post;
    },
    bodyHtml: bodyHtmlLoader(db),
    repliesOfAnswer: childPageLoader(db, replyList, reader),
    questionsOfAuthor: childPageLoader(db, { kind: 'question', parentColumn: 'author_id' }, reader),
    answersOfAuthor: childPageLoader(db, { kind: 'answer', parentColumn: 'author_id' }, reader),
    revisionsOfPost: revisionPageLoader(db),
    questions: (args) => questionPage(db, reader, args),
    tags: (args) => tagPage(db, args),
    search: (args) => searchPage(db, reader, args),
    notification: notificationLoader(db),
    notifications: (owner, args) => notificationPage(db, owner, args),
    unreadNotificationCount: (owner) => unreadNotificationCount(db, owner),
    anyPost,
    visiblePost: visiblePostLoader(post, anyPost, viewer),
    flags: (args) => flagPage(db, args),
    moderationLog: (args) => actionPage(db, args),
    clearAll: () => {
      for (const loader of Object.values(loaders)) {
        if (loader instanceof DataLoader) loader.clearAll();
        else if (loader instanceof Map) loader.clear();
      }
    },
  };
  return loaders;
}
