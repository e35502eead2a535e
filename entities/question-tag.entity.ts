import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tag on a question, in the order the author gave the tags. */
@Entity('question_tag')
export class QuestionTag {
  @PrimaryColumn('integer', { name: 'question_id' })
  questionId: number;

  @PrimaryColumn('integer', { name: 'tag_id' })
  tagId: number;

  @Column('smallint')
  position: number;
}
