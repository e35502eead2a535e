import { ObjectType } from 'type-graphql';
import { ChildEntity, Column } from 'typeorm';
import { Node } from './node.js';
import { Post } from './post.entity.js';

@ChildEntity('reply')
@ObjectType('Reply', { implements: [Node, Post], simpleResolvers: true, description: 'A reply under an answer.' })
export class Reply extends Post {
  /** The thread the reply belongs to, so thread-wide reads need no join. */
  @Column('integer', { name: 'question_id' })
  questionId: number;

  @Column('integer', { name: 'answer_id' })
  answerId: number;
}
