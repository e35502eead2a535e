import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import { Answer } from '../entities/answer.entity.js';
import { Question } from '../entities/question.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { replyOrdering } from '../src/loaders/orderings.js';
import { may } from '../src/services/policy.js';
import { type ConnectionArgs, ShortPageArgsType } from './args.js';
import { fresh } from './post.resolver.js';
import { ReplyConnection } from './types/connections.js';
import { PostAnswerInput } from './types/inputs.js';

@Resolver(() => Answer)
export class AnswerResolver {
  @FieldResolver(() => Question, { description: 'The question it answers.' })
  async question(@Root() answer: Answer, @Ctx() ctx: Context): Promise<Question> {
    return (await ctx.loaders.post.load(answer.questionId)) as Question;
  }

  @FieldResolver(() => Boolean, { description: "True when the question's author accepted this answer." })
  async isAccepted(@Root() answer: Answer, @Ctx() ctx: Context): Promise<boolean> {
    const question = (await ctx.loaders.post.load(answer.questionId)) as Question | null;
    return question?.acceptedAnswerId === answer.rowId;
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when postReply would let the viewer reply under it: signed in, not suspended, and the thread not ' +
      'locked (unless a moderator).',
  })
  viewerCanReply(@Root() answer: Answer, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'reply', answer);
  }

  @FieldResolver(() => ReplyConnection, { description: 'Its replies that are not deleted, oldest first.' })
  async replies(
    @Root() answer: Answer,
    @Args(() => ShortPageArgsType) args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof ReplyConnection>> {
    const page = await ctx.loaders.repliesOfAnswer.load({
      ...args.page(info),
      parentId: answer.rowId,
      ordering: replyOrdering,
      totalCount: answer.replyCount,
    });
    return new ReplyConnection(page);
  }

  @Mutation(() => Answer, {
    description:
      "Answers a question; the question's answerCount and lastActivityAt move, its author and followers are " +
      'notified. Needs a token (UNAUTHENTICATED). NOT_FOUND when the question is absent or deleted; ' +
      'BAD_USER_INPUT as PostAnswerInput says; RATE_LIMITED past 30 posts (questions, answers, replies) a minute, ' +
      'with extensions.retryAfter in seconds.',
  })
  async postAnswer(
    @Arg('input', () => PostAnswerInput, { description: 'The answer, and the question it answers.' })
    input: PostAnswerInput,
    @Ctx() ctx: Context,
  ): Promise<Answer> {
    const { rowId } = rowIdOf(input.questionId, ['Question'], 'questionId');
    return fresh(ctx, await ctx.services.answers.answer(requireViewer(ctx.viewer), rowId, input));
  }
}
