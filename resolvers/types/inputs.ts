import { Field, ID, InputType } from 'type-graphql';
import { VoteValue } from './enums.js';

@InputType('SignUpInput', { description: 'A new account.' })
export class SignUpInput {
  @Field({ description: '3-30 of A-Z, a-z, 0-9 and _; unique, whatever the case.' })
  username: string;

  @Field({ description: '1-80 characters.' })
  displayName: string;

  @Field({ description: 'At least 8 characters (at most 200).' })
  password: string;
}

@InputType('LogInInput')
export class LogInInput {
  @Field({ description: 'Any case.' })
  username: string;

  @Field()
  password: string;
}

@InputType('AskQuestionInput')
export class AskQuestionInput {
  @Field({ description: '10-200 characters, trimmed.' })
  title: string;

  @Field({ description: 'Markdown, 1-30,000 characters.' })
  body: string;

  @Field(() => [String], { description: '1-5 tags of a-z, 0-9 and -, trimmed and lower-cased.' })
  tags: string[];
}

@InputType('PostAnswerInput')
export class PostAnswerInput {
  @Field(() => ID, { description: 'The question answered.' })
  questionId: string;

  @Field({ description: 'Markdown, 1-30,000 characters.' })
  body: string;
}

@InputType('PostReplyInput')
export class PostReplyInput {
  @Field(() => ID, { description: 'The answer replied to.' })
  answerId: string;

  @Field({ description: 'Markdown, 1-30,000 characters.' })
  body: string;
}

@InputType('VoteInput')
export class VoteInput {
  @Field(() => ID, { description: 'A question, an answer or a reply (not your own).' })
  targetId: string;

  @Field(() => VoteValue, { description: 'UP, DOWN, or NONE to retract.' })
  value: VoteValue;
}

@InputType('EditPostInput', { description: 'What to change; omitted fields stay as they are.' })
export class EditPostInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'New Markdown body.' })
  body?: string | null;

  @Field(() => String, { nullable: true, description: 'New title (questions only).' })
  title?: string | null;

  @Field(() => [String], { nullable: true, description: 'New tags, replacing the old ones (questions only).' })
  tags?: string[] | null;
}
