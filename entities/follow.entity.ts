import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user following a question's thread. */
@Entity('follow')
export class Follow {
  @PrimaryColumn('integer', { name: 'question_id' })
  questionId: number;

  @PrimaryColumn('integer', { name: 'user_id' })
  userId: number;

  @Column('timestamp with time zone', { name: 'created_at', precision: 3 })
  createdAt: Date;
}
