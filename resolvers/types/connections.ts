import { Answer } from '../../entities/answer.entity.js';
import { Flag } from '../../entities/flag.entity.js';
import { ModerationAction } from '../../entities/moderation-action.entity.js';
import { Notification } from '../../entities/notification.entity.js';
import { PostRevision } from '../../entities/post-revision.entity.js';
import { Question } from '../../entities/question.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import { Tag } from '../../entities/tag.entity.js';
import { connectionOf } from './connection.js';

export const QuestionConnection = connectionOf('Question', Question);
export const AnswerConnection = connectionOf('Answer', Answer);
export const ReplyConnection = connectionOf('Reply', Reply);
export const TagConnection = connectionOf('Tag', Tag);
export const NotificationConnection = connectionOf('Notification', Notification);
export const PostRevisionConnection = connectionOf('PostRevision', PostRevision, {
  description: "A page of a post's revisions, newest first (Relay cursor connection).",
});
export const FlagConnection = connectionOf('Flag', Flag, {
  description: "A page of the moderators' queue of flags, oldest first (Relay cursor connection).",
});
export const ModerationActionConnection = connectionOf('ModerationAction', ModerationAction, {
  description: 'A page of the moderation log, newest first (Relay cursor connection).',
});
