import { Field, Int, ObjectType } from 'type-graphql';
import { ChildEntity, Column } from 'typeorm';
import { Node } from './node.js';
import { Post } from './post.entity.js';

@ChildEntity('answer')
@ObjectType('Answer', { implements: [Node, Post], simpleResolvers: true, description: 'An answer to a question.' })
export class Answer extends Post {
  @Column('integer', { name: 'question_id' })
  questionId: number;

  @Field(() => Int, { description: 'Replies under this answer that are not deleted.' })
  @Column('integer', { name: 'reply_count', default: 0 })
  replyCount: number;
}
