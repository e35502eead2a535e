import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/ids.js';
import { Node } from './node.js';

@Entity('tag')
@ObjectType('Tag', { implements: Node, simpleResolvers: true, description: 'A topic label on questions.' })
export class Tag {
  @PrimaryGeneratedColumn('identity', { name: 'id', generatedIdentity: 'ALWAYS' })
  rowId: number;

  @Field(() => ID, { description: 'Opaque global id.' })
  get id(): string {
    return toGlobalId('Tag', this.rowId);
  }

  @Field({ description: 'Lower-case, 1-35 of [a-z0-9-], e.g. "entrepreneuriat-social".' })
  @Column('text', { unique: true })
  name: string;

  @Field(() => Int, { description: 'Questions carrying this tag that are not deleted.' })
  @Column('integer', { name: 'question_count', default: 0 })
  questionCount: number;
}
