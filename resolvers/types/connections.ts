import { Answer } from '../../entities/answer.entity.js';
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
