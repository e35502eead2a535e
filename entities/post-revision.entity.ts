import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('post_revision')
@ObjectType('PostRevision', {
  description: 'One saved version of a post: as it was written (the first), or as an edit left it.',
})
export class PostRevision {
  @PrimaryColumn('integer', { name: 'post_id' })
  postId: number;

  @Field(() => Int, { description: 'Its place in the history: 1 is the original, the highest is the post now.' })
  @PrimaryColumn('integer')
  number: number;

  @Column('integer', { name: 'editor_id' })
  editorId: number;

  @Field(() => String, { nullable: true, description: "A question's title as saved; null for answers and replies." })
  @Column('text', { nullable: true })
  title: string | null;

  @Field({ description: 'The Markdown body as saved.' })
  @Column('text')
  body: string;

  @Field({ name: 'bodyHTML', description: 'The body as saved, rendered to sanitized HTML.' })
  @Column('text', { name: 'body_html' })
  bodyHtml: string;

  @Field(() => [String], {
    description: "A question's tag names as saved, in order; empty for answers and replies.",
  })
  @Column('text', { array: true })
  tags: string[];

  @Field({ description: 'When this version was saved (its latest save, when edits folded into it).' })
  @Column('timestamp with time zone', { name: 'created_at', precision: 3 })
  createdAt: Date;
}
