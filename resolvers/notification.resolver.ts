import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Notification } from '../entities/notification.entity.js';
import { Post } from '../entities/post.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { afterDescription, firstDescription, pageArgs } from './args.js';
import { NotificationConnection } from './types/connections.js';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationConnection, { description: "The viewer's notifications, newest first. Needs a token." })
  async notifications(
    @Arg('first', () => Int, { nullable: true, defaultValue: 10, description: firstDescription }) first: number,
    @Arg('after', () => String, { nullable: true, description: afterDescription }) after: string | null,
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false, description: 'Only unread ones.' })
    unreadOnly: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof NotificationConnection>> {
    const { userId } = requireViewer(ctx.viewer);
    const page = await ctx.loaders.notifications(userId, { ...pageArgs(first, after, 10), unreadOnly: !!unreadOnly });
    return new NotificationConnection(page);
  }

  @Query(() => Int, { description: "How many of the viewer's notifications are unread. Needs a token." })
  unreadNotificationCount(@Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.unreadNotificationCount(requireViewer(ctx.viewer).userId);
  }

  @Mutation(() => Int, {
    description:
      "Marks the viewer's notifications read: those in `ids`, or all with `all: true`. Gives the unread count after.",
  })
  markNotificationsRead(
    @Arg('ids', () => [ID], { nullable: true, description: 'Notification ids; others than yours are ignored.' })
    ids: string[] | null,
    @Arg('all', () => Boolean, { nullable: true, defaultValue: false }) all: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    const rowIds = ids?.map((id) => rowIdOf(id, ['Notification'], 'ids').rowId);
    return ctx.services.notifications.markRead(requireViewer(ctx.viewer), { ids: rowIds, all: !!all });
  }

  @FieldResolver(() => Post, { description: 'The post that caused it.' })
  async post(@Root() notification: Notification, @Ctx() ctx: Context): Promise<Post> {
    return (await ctx.loaders.post.load(notification.postId)) as Post;
  }
}
