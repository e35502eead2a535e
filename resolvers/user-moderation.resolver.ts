import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../entities/moderation-enums.js';
import { User } from '../entities/user.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { suspendedNow } from '../src/services/policy.js';
import { fresh } from './post.resolver.js';
import { SuspendUserInput } from './types/moderation-inputs.js';

const userIdDescription = 'The id of the user; another kind of id is BAD_USER_INPUT (rule idType).';

/** Roles and suspensions. */
@Resolver(() => User)
export class UserModerationResolver {
  @FieldResolver(() => Date, {
    nullable: true,
    description: 'Until when a moderator suspended this user (every write is FORBIDDEN until then); null unless now.',
  })
  suspendedUntil(@Root() user: User): Date | null {
    return suspendedNow(user.suspendedUntil) ? user.suspendedUntil : null;
  }

  @Mutation(() => User, {
    description:
      'Suspends a user: they may still sign in and read, but every write is FORBIDDEN, naming the end, until ' +
      '`until`. Moderators suspend members, admins anyone; nobody themselves (FORBIDDEN). NOT_FOUND for an ' +
      'unknown user; BAD_USER_INPUT as SuspendUserInput says.',
  })
  async suspendUser(
    @Arg('input', () => SuspendUserInput, { description: 'Whom, until when and why.' }) input: SuspendUserInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    const { rowId } = rowIdOf(input.userId, ['User'], 'userId');
    const viewer = requireViewer(ctx.viewer);
    return fresh(ctx, await ctx.services.standing.suspend(viewer, rowId, input.until, input.reason));
  }

  @Mutation(() => User, {
    description:
      'Ends a suspension now; unsuspending a user who is not suspended changes nothing. Who may: as suspendUser.',
  })
  async unsuspendUser(
    @Arg('userId', () => ID, { description: userIdDescription }) userId: string,
    @Ctx() ctx: Context,
  ): Promise<User> {
    const { rowId } = rowIdOf(userId, ['User'], 'userId');
    return fresh(ctx, await ctx.services.standing.unsuspend(requireViewer(ctx.viewer), rowId));
  }

  @Mutation(() => User, {
    description:
      "Sets a user's role (naming or removing moderators and admins). Admins only, never on themselves: FORBIDDEN. " +
      'NOT_FOUND for an unknown user.',
  })
  async setUserRole(
    @Arg('userId', () => ID, { description: userIdDescription }) userId: string,
    @Arg('role', () => Role, { description: 'The new role.' }) role: Role,
    @Ctx() ctx: Context,
  ): Promise<User> {
    const { rowId } = rowIdOf(userId, ['User'], 'userId');
    return fresh(ctx, await ctx.services.standing.setRole(requireViewer(ctx.viewer), rowId, role));
  }
}
