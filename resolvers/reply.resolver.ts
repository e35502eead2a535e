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

  @Mutation(() => Reply, { description: 'Replies under an answer. Needs a token; NOT_FOUND when the answer is gone.' })
  async postReply(@Arg('input', () => PostReplyInput) input: PostReplyInput, @Ctx() ctx: Context): Promise<Reply> {
    const { rowId } = rowIdOf(input.answerId, ['Answer'], 'answerId');
    return fresh(ctx, await ctx.services.answers.reply(requireViewer(ctx.viewer), rowId, input));
  }
}
