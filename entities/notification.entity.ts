import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { describedEnum } from '../src/described-enum.js';
import { toGlobalId } from '../src/ids.js';
import { Node } from './node.js';

export const NotificationKind = describedEnum(
  'NotificationKind',
  'Why a post concerns you. A post gives you at most one notification: when several kinds apply, the first ' +
    'of MENTION, REPLY_TO_YOUR_ANSWER, ANSWER_TO_YOUR_QUESTION, ACTIVITY_ON_FOLLOWED_QUESTION. Your own posts ' +
    'never notify you.',
  {
    MENTION: 'The post names you as @username (also when an edit adds the mention).',
    ANSWER_TO_YOUR_QUESTION: 'An answer to one of your questions.',
    REPLY_TO_YOUR_ANSWER: 'A reply under one of your answers.',
    ACTIVITY_ON_FOLLOWED_QUESTION: 'An answer or reply in a thread you follow.',
    ANSWER_ACCEPTED: 'Your answer was accepted.',
    MODERATION: 'A moderator closed, locked, deleted or restored your post.',
  },
);
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

@Entity('notification')
@ObjectType('Notification', { implements: Node, description: 'A post that concerns you.' })
export class Notification {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  rowId: number;

  @Field(() => ID, { description: 'Opaque global id.' })
  get id(): string {
    return toGlobalId('Notification', this.rowId);
  }

  @Column('integer', { name: 'user_id' })
  userId: number;

  @Field(() => NotificationKind, { description: 'Why the post concerns you.' })
  @Column('text')
  kind: NotificationKind;

  @Column('integer', { name: 'post_id' })
  postId: number;

  @Field({ description: 'When it was sent: when the post was written, or edited to mention you.' })
  @Column('timestamp with time zone', { name: 'created_at', precision: 3 })
  createdAt: Date;

  @Column('timestamp with time zone', { name: 'read_at', precision: 3, nullable: true })
  readAt: Date | null;

  @Field({ description: 'True once marked read with markNotificationsRead.' })
  get read(): boolean {
    return this.readAt !== null;
  }
}
