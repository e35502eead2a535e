import { Field, ID, InputType } from 'type-graphql';
import { CloseReason, FlagReason } from '../../entities/moderation-enums.js';

@InputType('FlagPostInput', { description: 'A flag: which post, and why.' })
export class FlagPostInput {
  @Field(() => ID, { description: 'The id of a question, an answer or a reply (rule idType for another id).' })
  postId: string;

  @Field(() => FlagReason, { description: 'Why it needs a moderator.' })
  reason: FlagReason;

  @Field(() => String, {
    nullable: true,
    description: 'Words for the moderators: at most 500 characters (rule length).',
  })
  note?: string | null;
}

@InputType('CloseQuestionInput', { description: 'Which question to close, and why.' })
export class CloseQuestionInput {
  @Field(() => ID, { description: 'The id of the question.' })
  questionId: string;

  @Field(() => CloseReason, { description: 'Why it takes no new answers.' })
  reason: CloseReason;

  @Field(() => ID, {
    nullable: true,
    description:
      'With DUPLICATE only, and then required (rules duplicateOnly, required): another question that is not ' +
      'deleted (rules self, live).',
  })
  duplicateOfId?: string | null;
}

@InputType('SuspendUserInput', { description: 'Whom to suspend, until when and why.' })
export class SuspendUserInput {
  @Field(() => ID, { description: 'The id of the user.' })
  userId: string;

  @Field({ description: 'When the suspension ends: in the future (rule future), at most 365 days ahead (rule max).' })
  until: Date;

  @Field({ description: 'Why, for the log: 1-500 characters once trimmed (rule length).' })
  reason: string;
}
