import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PostRevision } from '../entities/post-revision.entity.js';
import { User } from '../entities/user.entity.js';
import type { Context } from '../src/context.js';

@Resolver(() => PostRevision)
export class PostRevisionResolver {
  @FieldResolver(() => User, { description: 'Who saved this version: for the original, the author.' })
  async editor(@Root() revision: PostRevision, @Ctx() ctx: Context): Promise<User> {
    return (await ctx.loaders.user.load(revision.editorId)) as User;
  }
}
