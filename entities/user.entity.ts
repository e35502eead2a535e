import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/ids.js';
import { Node } from './node.js';
import { Role } from './moderation-enums.js';

@Entity('user')
@ObjectType('User', {
  implements: Node,
  simpleResolvers: true,
  description: 'Someone who asks, answers, replies and votes.',
})
export class User {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  rowId: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get id(): string {
    return toGlobalId('User', this.rowId);
  }

  @Field({ description: 'Unique handle, as used in @mentions (e.g. IngridSem); 3-30 of [A-Za-z0-9_].' })
  @Column('text')
  username: string;

  @Field({ description: 'The name shown next to posts.' })
  @Column('text', { name: 'display_name' })
  displayName: string;

  @Field(() => String, { nullable: true, description: 'A few words about this user, if given.' })
  @Column('text', { nullable: true })
  bio: string | null;

  /** Never selected unless asked for; never in the schema. */
  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Field(() => Int, { description: "Sum of the scores of this user's posts that are not deleted." })
  @Column('integer', { default: 0 })
  reputation: number;

  @Field({ description: 'When the account was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamp with time zone', precision: 3 })
  createdAt: Date;

  @Field(() => Role, {
    description: 'MEMBER unless an admin made it MODERATOR or ADMIN (or ADMIN_USERNAMES names it).',
  })
  @Column('text', { default: Role.MEMBER })
  role: Role;

  /** The end of a suspension as stored; the schema's `suspendedUntil` reads null once it has passed. */
  @Column('timestamp with time zone', { name: 'suspended_until', precision: 3, nullable: true })
  suspendedUntil: Date | null;

  /** Moderators' business: never in the schema. */
  @Column('text', { name: 'suspension_reason', nullable: true, select: false })
  suspensionReason: string | null;
}
