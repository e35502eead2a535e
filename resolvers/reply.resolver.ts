import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Answer } from '../entities/answer.entity.js';
import { Reply } from '../entities/reply.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { fresh } from './post.resolver.js';
import { PostReplyInput } from './types/inputs.js';

@Resolver(() => Reply)
export class ReplyResolver {
  @FieldResolver(() => Answer, { description: 'The answer it replies to.' })
  async answer(@Root() reply: Reply, @Ctx() ctx: Context): Promise<Answer> {
    return (await ctx.loaders.post.load(reply.answerId)) as Answer;
  }

  @Mutation(() => Reply, {
    description:
      "Replies under an answer; the answer's replyCount and the thread's lastActivityAt move, the answer's " +
      'author and the followers are notified. Needs a token (UNAUTHENTICATED). NOT_FOUND when the answer or its ' +
      'question is absent or deleted; BAD_USER_INPUT as PostReplyInput says; RATE_LIMITED past 30 posts ' +
      '(questions, answers, replies) a minute, with extensions.retryAfter in seconds.',
  })
  async postReply(
    @Arg('input', () => PostReplyInput, { description: 'The reply, and the answer it replies to.' })
    input: PostReplyInput,
    @Ctx() ctx: Context,
  ): Promise<Reply> {
    const { rowId } = rowIdOf(input.answerId, ['Answer'], 'answerId');
    return fresh(ctx, await ctx.services.answers.reply(requireViewer(ctx.viewer), rowId, input));
  }
}
