import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { ModerationAction } from '../entities/moderation-action.entity.js';
import { Post } from '../entities/post.entity.js';
import { User } from '../entities/user.entity.js';
import type { Context } from '../src/context.js';
import { authorize } from '../src/services/policy.js';
import { type ConnectionArgs, ShortPageArgsType } from './args.js';
import { ModerationActionConnection } from './types/connections.js';

@Resolver(() => ModerationAction)
export class ModerationActionResolver {
  @FieldResolver(() => User, { description: 'The moderator or admin who acted.' })
  async moderator(@Root() action: ModerationAction, @Ctx() ctx: Context): Promise<User> {
    return (await ctx.loaders.user.load(action.moderatorId)) as User;
  }

  @FieldResolver(() => Post, { nullable: true, description: 'The post acted on, deleted or not; null for a user.' })
  post(@Root() action: ModerationAction, @Ctx() ctx: Context): Promise<Post | null> | null {
    return action.postId === null ? null : ctx.loaders.anyPost.load(action.postId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The user acted on; null for a post.' })
  user(@Root() action: ModerationAction, @Ctx() ctx: Context): Promise<User | null> | null {
    return action.userId === null ? null : ctx.loaders.user.load(action.userId);
  }

  @Query(() => ModerationActionConnection, {
    description:
      'What moderators and admins did, newest first. Moderators only: FORBIDDEN for members, UNAUTHENTICATED ' +
      'without a token.',
  })
  async moderationLog(
    @Args(() => ShortPageArgsType) args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof ModerationActionConnection>> {
    authorize(ctx.viewer, 'moderate', {});
    return new ModerationActionConnection(await ctx.loaders.moderationLog(args.page(info)));
  }
}
