import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Post } from '../entities/post.entity.js';
import { User } from '../entities/user.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { postRefOf } from '../src/ids.js';
import { VoteValue } from './types/enums.js';
import { EditPostInput, VoteInput } from './types/inputs.js';

/** What every post has, whatever its kind, and the mutations that work on any post. */
@Resolver(() => Post)
export class PostResolver {
  @FieldResolver(() => User, { description: 'Who wrote it.' })
  async author(@Root() post: Post, @Ctx() ctx: Context): Promise<User> {
    return (await ctx.loaders.user.load(post.authorId)) as User;
  }

  @FieldResolver(() => VoteValue, { nullable: true, description: "The viewer's vote: UP, DOWN, or null." })
  async viewerVote(@Root() post: Post, @Ctx() ctx: Context): Promise<VoteValue | null> {
    const value = await ctx.loaders.viewerVote.load(post.rowId);
    return value === null ? null : value > 0 ? VoteValue.UP : VoteValue.DOWN;
  }

  @FieldResolver(() => Boolean, { description: 'True when the viewer wrote it, so may edit it.' })
  viewerCanEdit(@Root() post: Post, @Ctx() ctx: Context): boolean {
    return ctx.viewer?.userId === post.authorId;
  }

  @FieldResolver(() => [User], { description: 'Users named as @username in the body, in order.' })
  mentions(@Root() post: Post, @Ctx() ctx: Context): Promise<User[]> {
    return ctx.loaders.mentions.load(post.rowId);
  }

  @Mutation(() => Post, {
    description:
      'Sets your vote on a post. Idempotent; NONE retracts. FORBIDDEN on your own post; NOT_FOUND when deleted.',
  })
  async vote(@Arg('input', () => VoteInput) input: VoteInput, @Ctx() ctx: Context): Promise<Post> {
    const post = postRefOf(input.targetId, 'targetId');
    return fresh(ctx, await ctx.services.votes.vote(requireViewer(ctx.viewer), post, input.value));
  }

  @Mutation(() => Post, { description: "Edits a post's body (and a question's title and tags). Its author only." })
  async editPost(@Arg('input', () => EditPostInput) input: EditPostInput, @Ctx() ctx: Context): Promise<Post> {
    return fresh(ctx, await ctx.services.posts.edit(requireViewer(ctx.viewer), postRefOf(input.id, 'id'), input));
  }

  @Mutation(() => ID, {
    description: 'Deletes a post and everything under it; gives back its id. Its author only; soft delete.',
  })
  async deletePost(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return fresh(ctx, await ctx.services.posts.delete(requireViewer(ctx.viewer), postRefOf(id, 'id'))).id;
  }
}

/** After a write, later reads in the same operation must see it: drop what the loaders cached. */
export function fresh<T>(ctx: Context, written: T): T {
  ctx.loaders.clearAll();
  return written;
}
