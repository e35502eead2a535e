import { Field, ID, InputType } from 'type-graphql';
import { VoteValue } from './enums.js';

/** What a post body must be (rules.ts checkBody). */
const bodyDescription = 'Markdown, 1-30,000 characters, not only white space (rules length, blank).';

@InputType('SignUpInput', {
  description: 'A new account. A field that breaks a rule gives BAD_USER_INPUT naming it and the rule.',
})
export class SignUpInput {
  @Field({
    description: '3-30 of A-Z, a-z, 0-9 and _ (rules length, pattern); unique whatever the case (rule unique).',
  })
  username: string;

  @Field({ description: 'The name shown next to posts: 1-80 characters once trimmed (rule length).' })
  displayName: string;

  @Field({ description: '8-200 characters (rule length). Only a hash of it is stored.' })
  password: string;
}

@InputType('LogInInput', { description: 'The credentials of an account.' })
export class LogInInput {
  @Field({ description: 'The username, in any case.' })
  username: string;

  @Field({ description: "The account's password." })
  password: string;
}

@InputType('AskQuestionInput', {
  description: 'A new question. A field that breaks a rule gives BAD_USER_INPUT naming it and the rule.',
})
export class AskQuestionInput {
  @Field({ description: 'One line, 10-200 characters once trimmed (rule length).' })
  title: string;

  @Field({ description: bodyDescription })
  body: string;

  @Field(() => [String], {
    description:
      '1-5 distinct tags (rule count), each trimmed and lower-cased to 1-35 of a-z, 0-9 and - (rule pattern). ' +
      'Duplicates are dropped, the order is kept, unknown tags are created.',
  })
  tags: string[];
}

@InputType('PostAnswerInput', { description: 'A new answer to a question.' })
export class PostAnswerInput {
  @Field(() => ID, {
    description: 'The id of the question answered; another kind of id is BAD_USER_INPUT (rule idType).',
  })
  questionId: string;

  @Field({ description: bodyDescription })
  body: string;
}

@InputType('PostReplyInput', { description: 'A new reply under an answer.' })
export class PostReplyInput {
  @Field(() => ID, {
    description: 'The id of the answer replied to; another kind of id is BAD_USER_INPUT (rule idType).',
  })
  answerId: string;

  @Field({ description: bodyDescription })
  body: string;
}

@InputType('VoteInput', { description: 'Your vote on one post.' })
export class VoteInput {
  @Field(() => ID, { description: 'The id of a question, an answer or a reply, not your own.' })
  targetId: string;

  @Field(() => VoteValue, { description: 'UP, DOWN, or NONE to retract your vote.' })
  value: VoteValue;
}

@InputType('EditPostInput', {
  description:
    'What to change in one of your posts. An omitted (or null) field stays as it is; giving none is ' +
    'BAD_USER_INPUT (field input, rule empty).',
})
export class EditPostInput {
  @Field(() => ID, { description: 'The id of your question, answer or reply.' })
  id: string;

  @Field(() => String, { nullable: true, description: `New body. ${bodyDescription}` })
  body?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'New title, 10-200 characters once trimmed. Questions only: on another post, rule questionOnly.',
  })
  title?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'New tags, replacing the old ones, as in AskQuestionInput.tags. Questions only: on another post, rule ' +
      'questionOnly.',
  })
  tags?: string[] | null;
}
