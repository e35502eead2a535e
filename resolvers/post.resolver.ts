import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Resolver, Root } from 'type-graphql';
import { Post } from '../entities/post.entity.js';
import { User } from '../entities/user.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { postRefOf } from '../src/ids.js';
import { may } from '../src/services/policy.js';
import { type ConnectionArgs, PageArgsType } from './args.js';
import { PostRevisionConnection } from './types/connections.js';
import { VoteValue } from './types/enums.js';
import { EditPostInput, VoteInput } from './types/inputs.js';

/** What every post has, whatever its kind, and the mutations that work on any post. */
@Resolver(() => Post)
export class PostResolver {
  @FieldResolver(() => String, {
    description: 'The body rendered to sanitized HTML: bare URLs and @mentions of existing users are links.',
  })
  bodyHTML(@Root() post: Post, @Ctx() ctx: Context): string | Promise<string> {
    return post.bodyHtml ?? ctx.loaders.bodyHtml.load(post.rowId);
  }

  @FieldResolver(() => User, { description: 'Who wrote it.' })
  author(@Root() post: Post, @Ctx() ctx: Context): User | Promise<User> {
    return ctx.loaders.authorOf.get(post) ?? (ctx.loaders.user.load(post.authorId) as Promise<User>);
  }

  @FieldResolver(() => VoteValue, { nullable: true, description: "The viewer's vote: UP, DOWN, or null." })
  viewerVote(@Root() post: Post, @Ctx() ctx: Context): VoteValue | null | Promise<VoteValue | null> {
    const value = ctx.loaders.viewerVoteOf.get(post);
    return value === undefined ? ctx.loaders.viewerVote.load(post.rowId).then(voteValueOf) : voteValueOf(value);
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when editPost would let the viewer edit it: its author or a moderator; in a locked thread, moderators ' +
      'only; never while suspended.',
  })
  viewerCanEdit(@Root() post: Post, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'edit', post);
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when deletePost would let the viewer delete it: its author or a moderator; never while suspended.',
  })
  viewerCanDelete(@Root() post: Post, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'delete', post);
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when vote would let the viewer vote on it: signed in, not its author, not suspended, and the thread ' +
      'not locked (unless a moderator).',
  })
  viewerCanVote(@Root() post: Post, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'vote', post);
  }

  @FieldResolver(() => PostRevisionConnection, {
    description:
      'Every saved version of it, newest first: the last is the original, the first is the post as it is now. ' +
      'An edit by the same author within 5 minutes of the newest revision rewrites that revision instead of ' +
      'adding one (the original is never rewritten; concurrent edits each keep their own).',
  })
  async revisions(
    @Root() post: Post,
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof PostRevisionConnection>> {
    const page = await ctx.loaders.revisionsOfPost.load({
      ...args.page(info),
      postId: post.rowId,
      totalCount: post.revisionCount,
    });
    return new PostRevisionConnection(page);
  }

  @FieldResolver(() => [User], { description: 'Users named as @username in the body, in order.' })
  mentions(@Root() post: Post, @Ctx() ctx: Context): Promise<User[]> {
    return ctx.loaders.mentions.load(post.rowId);
  }

  @Mutation(() => Post, {
    description:
      "Sets your vote on a post and gives the post with its new score; its author's reputation moves by as much. " +
      'Idempotent: repeating a vote changes nothing; NONE retracts. Needs a token (UNAUTHENTICATED). FORBIDDEN ' +
      'on your own post; NOT_FOUND when the post is absent or deleted; BAD_USER_INPUT (rule idType) when ' +
      'targetId is not a post; RATE_LIMITED past 300 votes a minute, with extensions.retryAfter in seconds.',
  })
  async vote(
    @Arg('input', () => VoteInput, { description: 'The post, and your vote on it.' }) input: VoteInput,
    @Ctx() ctx: Context,
  ): Promise<Post> {
    const post = postRefOf(input.targetId, 'targetId');
    return fresh(ctx, await ctx.services.votes.vote(requireViewer(ctx.viewer), post, input.value));
  }

  @Mutation(() => Post, {
    description:
      "Edits a post's body, and a question's title and tags; updatedAt and the thread's lastActivityAt move, " +
      'users newly @mentioned are notified. Its author only: FORBIDDEN for anyone else. Needs a token ' +
      '(UNAUTHENTICATED). NOT_FOUND when the post is absent or deleted; BAD_USER_INPUT as EditPostInput says.',
  })
  async editPost(
    @Arg('input', () => EditPostInput, { description: 'The post, and what to change in it.' }) input: EditPostInput,
    @Ctx() ctx: Context,
  ): Promise<Post> {
    return fresh(ctx, await ctx.services.posts.edit(requireViewer(ctx.viewer), postRefOf(input.id, 'id'), input));
  }

  @Mutation(() => ID, {
    description:
      "Deletes a post with everything under it (a question's answers and their replies, an answer's replies) " +
      'and gives back its id. Soft delete: nothing deleted is served again; counts, tag counts and reputation ' +
      'drop by what left, and a deleted accepted answer is unaccepted. Its author only: FORBIDDEN for anyone ' +
      'else. Needs a token (UNAUTHENTICATED). NOT_FOUND when the post is absent or already deleted.',
  })
  async deletePost(
    @Arg('id', () => ID, { description: 'The id of your question, answer or reply.' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return fresh(ctx, await ctx.services.posts.delete(requireViewer(ctx.viewer), postRefOf(id, 'id'))).id;
  }
}

function voteValueOf(value: 1 | -1 | null): VoteValue | null {
  return value === null ? null : value > 0 ? VoteValue.UP : VoteValue.DOWN;
}

/** After a write, later reads in the same operation must see it: drop what the loaders cached. */
export function fresh<T>(ctx: Context, written: T): T {
  ctx.loaders.clearAll();
  return written;
}
