import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Notification } from '../entities/notification.entity.js';
import { Post } from '../entities/post.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { type ConnectionArgs, PageArgsType } from './args.js';
import { NotificationConnection } from './types/connections.js';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationConnection, {
    description:
      "The viewer's notifications about posts that are not deleted (MODERATION ones whatever becomes of their post), " +
      'newest first. Needs a token (UNAUTHENTICATED).',
  })
  async notifications(
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false, description: 'Only unread ones.' })
    unreadOnly: boolean | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof NotificationConnection>> {
    const { userId } = requireViewer(ctx.viewer);
    const page = await ctx.loaders.notifications(userId, {
      ...args.page(info),
      unreadOnly: !!unreadOnly,
    });
    return new NotificationConnection(page);
  }

  @Query(() => Int, {
    description: "How many of the viewer's notifications are unread. Needs a token (UNAUTHENTICATED).",
  })
  unreadNotificationCount(@Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.unreadNotificationCount(requireViewer(ctx.viewer).userId);
  }

  @Mutation(() => Int, {
    description:
      "Marks the viewer's notifications read: those in `ids`, or all with `all: true`; gives the unread count " +
      'after. Needs a token (UNAUTHENTICATED). Neither ids nor all is BAD_USER_INPUT (field ids, rule required).',
  })
  markNotificationsRead(
    @Arg('ids', () => [ID], {
      nullable: true,
      description:
        "Notification ids; ids of other users' notifications are ignored, other kinds of id are BAD_USER_INPUT (rule idType).",
    })
    ids: string[] | null,
    @Arg('all', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'True to mark all of them read, whatever `ids` says.',
    })
    all: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    const rowIds = ids?.map((id) => rowIdOf(id, ['Notification'], 'ids').rowId);
    return ctx.services.notifications.markRead(requireViewer(ctx.viewer), { ids: rowIds, all: !!all });
  }

  @FieldResolver(() => Post, { description: 'The post that caused it.' })
  async post(@Root() notification: Notification, @Ctx() ctx: Context): Promise<Post> {
    return (await ctx.loaders.visiblePost.load(notification.postId)) as Post;
  }
}
