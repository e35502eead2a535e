import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Flag } from '../entities/flag.entity.js';
import { FlagStatus } from '../entities/moderation-enums.js';
import { Post } from '../entities/post.entity.js';
import { User } from '../entities/user.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { postRefOf, rowIdOf } from '../src/ids.js';
import { authorize } from '../src/services/policy.js';
import { type ConnectionArgs, ShortPageArgsType } from './args.js';
import { fresh } from './post.resolver.js';
import { FlagConnection } from './types/connections.js';
import { FlagPostInput } from './types/moderation-inputs.js';

@Resolver(() => Flag)
export class FlagResolver {
  @FieldResolver(() => Post, { nullable: true, description: 'The post flagged, deleted or not; null once it is gone.' })
  post(@Root() flag: Flag, @Ctx() ctx: Context): Promise<Post | null> {
    return ctx.loaders.anyPost.load(flag.postId);
  }

  @FieldResolver(() => User, { description: 'Who flagged it.' })
  async flagger(@Root() flag: Flag, @Ctx() ctx: Context): Promise<User> {
    return (await ctx.loaders.user.load(flag.flaggerId)) as User;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The moderator who resolved it; null while OPEN.' })
  handledBy(@Root() flag: Flag, @Ctx() ctx: Context): Promise<User | null> | null {
    return flag.handledById === null ? null : ctx.loaders.user.load(flag.handledById);
  }

  @Query(() => FlagConnection, {
    description:
      "The moderators' queue: flags of one status, oldest first. Moderators only: FORBIDDEN for members, " +
      'UNAUTHENTICATED without a token.',
  })
  async flags(
    @Args(() => ShortPageArgsType) args: ConnectionArgs,
    @Arg('status', () => FlagStatus, { nullable: true, defaultValue: FlagStatus.OPEN, description: 'Which flags.' })
    status: FlagStatus,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof FlagConnection>> {
    authorize(ctx.viewer, 'moderate', {});
    const asked = { ...args.page(info), status: status ?? FlagStatus.OPEN };
    return new FlagConnection(await ctx.loaders.flags(asked));
  }

  @Mutation(() => Flag, {
    description:
      'Flags a post for the moderators, once per post (BAD_USER_INPUT, rule once, the second time). When a post ' +
      'gathers FLAGS_TO_HIDE (3 by default) open SPAM or RUDE flags from distinct members it is hidden: deleted ' +
      'until a moderator resolves them (POST_DELETED for its watchers but its author and moderators, who still ' +
      'read it). FORBIDDEN on your own post, in a locked thread, or while suspended; NOT_FOUND when the post is ' +
      'absent or deleted; RATE_LIMITED past the flags you may raise in an hour (FLAGS_PER_HOUR, 20 by default). ' +
      'Needs a token (UNAUTHENTICATED).',
  })
  async flagPost(
    @Arg('input', () => FlagPostInput, { description: 'The post, and why.' }) input: FlagPostInput,
    @Ctx() ctx: Context,
  ): Promise<Flag> {
    const post = postRefOf(input.postId, 'postId');
    return fresh(ctx, await ctx.services.flags.flag(requireViewer(ctx.viewer), post, input.reason, input.note));
  }

  @Mutation(() => Flag, {
    description:
      'Resolves a flag, with every other open flag of its post. Helpful: the post is deleted and its author ' +
      'notified (for a post the flags hid, POST_DELETED goes to its author and moderators, who could still read it). ' +
      'Declined: a post the flags hid is shown again. Resolving a resolved flag changes nothing. Moderators only ' +
      '(FORBIDDEN); NOT_FOUND for an unknown flag.',
  })
  async resolveFlag(
    @Arg('id', () => ID, { description: 'The id of the flag.' }) id: string,
    @Arg('helpful', () => Boolean, { description: 'True when the post must go, false to decline.' }) helpful: boolean,
    @Ctx() ctx: Context,
  ): Promise<Flag> {
    const { rowId } = rowIdOf(id, ['Flag'], 'id');
    return fresh(ctx, await ctx.services.flags.resolve(requireViewer(ctx.viewer), rowId, helpful));
  }
}
