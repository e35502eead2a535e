import { Answer } from '../../entities/answer.entity.js';
import { Notification } from '../../entities/notification.entity.js';
import { Question } from '../../entities/question.entity.js';
import { Reply } from '../../entities/reply.entity.js';
import { Tag } from '../../entities/tag.entity.js';
import { connectionOf } from './connection.js';

export const QuestionConnection = connectionOf('Question', Question);
export const AnswerConnection = connectionOf('Answer', Answer);
export const ReplyConnection = connectionOf('Reply', Reply);
export const TagConnection = connectionOf('Tag', Tag);
export const NotificationConnection = connectionOf('Notification', Notification);
