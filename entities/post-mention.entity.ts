import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user named as @username in a post's body, in order of first appearance. */
@Entity('post_mention')
export class PostMention {
  @PrimaryColumn('integer', { name: 'post_id' })
  postId: number;

  @PrimaryColumn('integer', { name: 'user_id' })
  userId: number;

  @Column('smallint')
  position: number;
}
