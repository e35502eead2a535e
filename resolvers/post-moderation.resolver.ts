import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Post } from '../entities/post.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { postRefOf } from '../src/ids.js';
import { may } from '../src/services/policy.js';
import { fresh } from './post.resolver.js';

/** What moderation adds to every post. */
@Resolver(() => Post)
export class PostModerationResolver {
  @FieldResolver(() => Boolean, {
    description:
      'True when flagPost would let the viewer flag it: signed in, not suspended, not its author, and the thread ' +
      'not locked (unless a moderator). A second flag of the same post is BAD_USER_INPUT all the same.',
  })
  viewerCanFlag(@Root() post: Post, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'flag', post);
  }

  @Mutation(() => Post, {
    description:
      'Restores a deleted post with what its deletion took (the posts under it deleted with it, the counts, tag ' +
      "counts and authors' reputation) and gives it; watchers see POST_RESTORED and its author is notified " +
      '(MODERATION). Moderators only (FORBIDDEN). NOT_FOUND when absent; BAD_USER_INPUT when not deleted (rule ' +
      'notDeleted) or when the post above it is deleted (rule parentDeleted).',
  })
  async undeletePost(
    @Arg('id', () => ID, { description: 'The id of a deleted question, answer or reply.' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<Post> {
    return fresh(ctx, await ctx.services.moderation.undelete(requireViewer(ctx.viewer), postRefOf(id, 'id')));
  }
}
