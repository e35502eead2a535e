import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Post } from '../../entities/post.entity.js';
import { BadUserInputError } from '../../src/errors/index.js';
import { toGlobalId } from '../../src/ids.js';
import type { ThreadEventMessage } from '../../src/realtime/topics.js';
import { ThreadEventKind } from './enums.js';

const nodeTypeOf = { question: 'Question', answer: 'Answer', reply: 'Reply' } as const;

/** The cursor of a thread event: base64url of `thread:questionId:seq`. */
export function threadEventCursor(event: Pick<ThreadEventMessage, 'questionId' | 'seq'>): string {
  return Buffer.from(`thread:${event.questionId}:${event.seq}`).toString('base64url');
}

/** The event number inside a cursor of `questionId`'s thread; any other string gives BAD_USER_INPUT. */
export function seqOfCursor(cursor: string, questionId: number): number {
  const match = /^thread:(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || Number(match[1]) !== questionId) {
    throw new BadUserInputError('after is not a cursor of this thread', { field: 'after', rule: 'cursor' });
  }
  return Number(match[2]);
}

@ObjectType('ThreadEvent', {
  description: 'One change in a thread, in commit order. Pass the last cursor seen as `after` to resume without loss.',
})
export class ThreadEvent {
  constructor(readonly message: ThreadEventMessage) {}

  @Field({ description: 'Pass it as threadEvents(after:) to resume right after this event.' })
  cursor(): string {
    return threadEventCursor(this.message);
  }

  @Field(() => ThreadEventKind, { description: 'What changed.' })
  kind(): ThreadEventKind {
    return ThreadEventKind[this.message.kind];
  }

  @Field({ description: 'When the change was committed.' })
  at(): Date {
    return new Date(this.message.at);
  }

  @Field(() => ID, { description: 'The post the event is about (still given once the post is deleted).' })
  postId(): string {
    return toGlobalId(nodeTypeOf[this.message.postKind], this.message.postId);
  }

  @Field(() => Int, { nullable: true, description: 'The new score, for SCORE_CHANGED.' })
  score(): number | null {
    return this.message.score;
  }
}

@ObjectType('ScoreChange', { description: 'A change of score pushed to thread watchers.' })
export class ScoreChange {
  @Field(() => Post, { description: 'The post whose score changed, as it is now.' })
  post: Post;

  @Field(() => Int, { description: 'The score after the vote.' })
  score: number;
}
