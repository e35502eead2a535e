import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Post } from '../entities/post.entity.js';
import type { Context } from '../src/context.js';
import { ThreadEvent } from './types/thread-event.js';

@Resolver(() => ThreadEvent)
export class ThreadEventResolver {
  @FieldResolver(() => Post, { nullable: true, description: 'The post as it is now; null once it is deleted.' })
  post(@Root() event: ThreadEvent, @Ctx() ctx: Context): Promise<Post | null> {
    return ctx.loaders.post.load(event.message.postId);
  }
}
