import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One user's vote on one post: +1 or -1. Retracting deletes the row. */
@Entity('vote')
export class Vote {
  @PrimaryColumn('integer', { name: 'post_id' })
  postId: number;

  @PrimaryColumn('integer', { name: 'user_id' })
  userId: number;

  @Column('smallint')
  value: 1 | -1;

  @Column('timestamp with time zone', { name: 'created_at', precision: 3 })
  createdAt: Date;

  @Column('timestamp with time zone', { name: 'updated_at', precision: 3 })
  updatedAt: Date;
}
