import { Field, ID, Int, InterfaceType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn, TableInheritance } from 'typeorm';
import { toGlobalId, type NodeType } from '../src/ids.js';

export type PostKind = 'question' | 'answer' | 'reply';

const typeOfKind: Record<PostKind, NodeType> = { question: 'Question', answer: 'Answer', reply: 'Reply' };

/** The row every question, answer and reply shares (single-table inheritance on `kind`). */
@Entity('post')
@TableInheritance({ column: { type: 'text', name: 'kind' } })
@InterfaceType('Post', { description: 'A question, an answer or a reply: text someone wrote that others can vote on.' })
export abstract class Post {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  rowId: number;

  @Column('text')
  kind: PostKind;

  /** The GraphQL type of this row. */
  get nodeType(): NodeType {
    return typeOfKind[this.kind];
  }

  @Field(() => ID, { description: 'Opaque global id.' })
  get id(): string {
    return toGlobalId(this.nodeType, this.rowId);
  }

  @Column('integer', { name: 'author_id' })
  authorId: number;

  @Field({ description: 'Markdown source, exactly as written.' })
  @Column('text')
  body: string;

  /** Absent from a thread page read for an operation that asks for no `bodyHTML` (see PostResolver.bodyHTML). */
  @Column('text', { name: 'body_html' })
  bodyHtml?: string;

  @Field(() => Int, { description: 'Up votes minus down votes; always equal to the vote rows.' })
  @Column('integer', { default: 0 })
  score: number;

  @Field({ description: 'When the post was written.' })
  @Column('timestamp with time zone', { name: 'created_at', precision: 3 })
  createdAt: Date;

  @Field({ description: 'When the post was last changed (edit, or its creation).' })
  @Column('timestamp with time zone', { name: 'updated_at', precision: 3 })
  updatedAt: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      'When an edit last changed it, counting only edits made 5 minutes or more after it was written; null when ' +
      'never edited after that grace window. Every edit is in `revisions` all the same.',
  })
  @Column('timestamp with time zone', { name: 'edited_at', precision: 3, nullable: true })
  editedAt: Date | null;

  @Field(() => Int, { description: 'How many versions `revisions` holds, the original included (so at least 1).' })
  @Column('integer', { name: 'revision_count', default: 1 })
  revisionCount: number;

  /** Set on every post of a locked thread (see lockQuestion). */
  @Column('timestamp with time zone', { name: 'locked_at', precision: 3, nullable: true })
  lockedAt: Date | null;

  /** Set with `deletedAt` when members' flags hid the post, until a moderator resolves them. */
  @Column('timestamp with time zone', { name: 'hidden_at', precision: 3, nullable: true })
  hiddenAt: Date | null;

  /** Soft delete: a deleted post is never served. */
  @Column('timestamp with time zone', { name: 'deleted_at', precision: 3, nullable: true })
  deletedAt: Date | null;
}
