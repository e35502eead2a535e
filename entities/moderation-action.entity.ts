import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/ids.js';
import { Node } from './node.js';
import { ModerationActionKind } from './moderation-enums.js';

@Entity('moderation_action')
@ObjectType('ModerationAction', {
  implements: Node,
  description:
    'One action a moderator or admin took: the moderation log. Recorded in the transaction of the action itself.',
})
export class ModerationAction {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  rowId: number;

  @Field(() => ID, { description: 'Opaque global id.' })
  get id(): string {
    return toGlobalId('ModerationAction', this.rowId);
  }

  @Field(() => ModerationActionKind, { description: 'What was done.' })
  @Column('text')
  kind: ModerationActionKind;

  @Column('integer', { name: 'moderator_id' })
  moderatorId: number;

  @Column('integer', { name: 'post_id', nullable: true })
  postId: number | null;

  @Column('integer', { name: 'user_id', nullable: true })
  userId: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'The reason given (a close reason, a suspension reason, the new role), if any.',
  })
  @Column('text', { nullable: true })
  reason: string | null;

  @Field({ name: 'at', description: 'When it was done.' })
  @Column('timestamp with time zone', { name: 'created_at', precision: 3 })
  createdAt: Date;
}
