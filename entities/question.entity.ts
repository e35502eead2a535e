import { Field, Int, ObjectType } from 'type-graphql';
import { ChildEntity, Column } from 'typeorm';
import { Node } from './node.js';
import { CloseReason } from './moderation-enums.js';
import { Post } from './post.entity.js';

@ChildEntity('question')
@ObjectType('Question', {
  implements: [Node, Post],
  simpleResolvers: true,
  description: 'What a thread is about: the question that opens it.',
})
export class Question extends Post {
  @Field({ description: 'One line, 10-200 characters.' })
  @Column('text')
  title: string;

  @Field({ description: 'Moves with every answer, reply or edit in the thread; the ACTIVE order sorts by it.' })
  @Column('timestamp with time zone', { name: 'last_activity_at', precision: 3 })
  lastActivityAt: Date;

  @Field(() => Int, { description: 'Answers that are not deleted.' })
  @Column('integer', { name: 'answer_count', default: 0 })
  answerCount: number;

  @Field(() => Int, { description: 'Users following the thread; the author follows it from the start.' })
  @Column('integer', { name: 'follower_count', default: 0 })
  followerCount: number;

  @Column('integer', { name: 'accepted_answer_id', nullable: true })
  acceptedAnswerId: number | null;

  /** The number of the thread's newest event, read with the row (Question.eventCursor); the outbox writes it. */
  @Column({ type: 'integer', name: 'event_seq', default: 0, insert: false, update: false })
  eventSeq: number;

  @Field(() => Date, { nullable: true, description: 'When a moderator closed it to new answers; null while open.' })
  @Column('timestamp with time zone', { name: 'closed_at', precision: 3, nullable: true })
  closedAt: Date | null;

  @Field(() => CloseReason, { nullable: true, description: 'Why it was closed; null while open.' })
  @Column('text', { name: 'close_reason', nullable: true })
  closeReason: CloseReason | null;

  @Column('integer', { name: 'duplicate_of_id', nullable: true })
  duplicateOfId: number | null;
}
