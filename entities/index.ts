import { Answer } from './answer.entity.js';
import { Flag } from './flag.entity.js';
import { Follow } from './follow.entity.js';
import { ModerationAction } from './moderation-action.entity.js';
import { Notification } from './notification.entity.js';
import { PostMention } from './post-mention.entity.js';
import { PostRevision } from './post-revision.entity.js';
import { Post } from './post.entity.js';
import { QuestionTag } from './question-tag.entity.js';
import { Question } from './question.entity.js';
import { Reply } from './reply.entity.js';
import { Session } from './session.entity.js';
import { Tag } from './tag.entity.js';
import { User } from './user.entity.js';
import { Vote } from './vote.entity.js';

/** Every entity the DataSource knows. */
export const entities = [
  User,
  Session,
  Post,
  Question,
  Answer,
  Reply,
  Vote,
  Tag,
  QuestionTag,
  Follow,
  PostMention,
  PostRevision,
  Notification,
  Flag,
  ModerationAction,
];
