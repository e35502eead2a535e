import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/ids.js';
import { Node } from './node.js';
import { FlagReason, FlagStatus } from './moderation-enums.js';

@Entity('flag')
@ObjectType('Flag', {
  implements: Node,
  description: "A member's report that a post needs a moderator's look. Only moderators read flags.",
})
export class Flag {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  rowId: number;

  @Field(() => ID, { description: 'Opaque global id.' })
  get id(): string {
    return toGlobalId('Flag', this.rowId);
  }

  @Column('integer', { name: 'post_id' })
  postId: number;

  @Column('integer', { name: 'flagger_id' })
  flaggerId: number;

  @Field(() => FlagReason, { description: 'Why the post was flagged.' })
  @Column('text')
  reason: FlagReason;

  @Field(() => String, { nullable: true, description: "The flagger's words for the moderators, if any." })
  @Column('text', { nullable: true })
  note: string | null;

  @Field({ description: 'When the post was flagged.' })
  @Column('timestamp with time zone', { name: 'created_at', precision: 3 })
  createdAt: Date;

  @Field(() => FlagStatus, { description: 'OPEN until a moderator resolves it.' })
  @Column('text')
  status: FlagStatus;

  @Column('integer', { name: 'handled_by_id', nullable: true })
  handledById: number | null;

  @Field(() => Date, { nullable: true, description: 'When a moderator resolved it; null while OPEN.' })
  @Column('timestamp with time zone', { name: 'handled_at', precision: 3, nullable: true })
  handledAt: Date | null;
}
