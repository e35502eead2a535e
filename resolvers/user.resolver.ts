import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { User } from '../entities/user.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { checkText } from '../src/services/rules.js';
import { authoredOrdering } from '../src/loaders/orderings.js';
import { type ConnectionArgs, PageArgsType } from './args.js';
import { AuthPayload } from './types/auth-payload.js';
import { AnswerConnection, QuestionConnection } from './types/connections.js';
import { LogInInput, SignUpInput } from './types/inputs.js';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  viewer(@Ctx() ctx: Context): Promise<User | null> | null {
    return ctx.viewer && ctx.loaders.user.load(ctx.viewer.userId);
  }

  @Query(() => User, { nullable: true, description: 'A user by username, whatever the case; null when absent.' })
  user(
    @Arg('username', { description: 'The username, in any case.' }) username: string,
    @Ctx() ctx: Context,
  ): Promise<User | null> {
    return ctx.loaders.userByUsername.load(checkText('username', username).toLowerCase());
  }

  @FieldResolver(() => QuestionConnection, { description: 'Questions this user asked, newest first.' })
  async questions(
    @Root() user: User,
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof QuestionConnection>> {
    const page = await ctx.loaders.questionsOfAuthor.load({
      ...args.page(info),
      parentId: user.rowId,
      ordering: authoredOrdering,
      totalCount: () => ctx.loaders.authoredCount.load(`question:${user.rowId}`),
    });
    return new QuestionConnection(page);
  }

  @FieldResolver(() => AnswerConnection, { description: 'Answers this user wrote, newest first.' })
  async answers(
    @Root() user: User,
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof AnswerConnection>> {
    const page = await ctx.loaders.answersOfAuthor.load({
      ...args.page(info),
      parentId: user.rowId,
      ordering: authoredOrdering,
      totalCount: () => ctx.loaders.authoredCount.load(`answer:${user.rowId}`),
    });
    return new AnswerConnection(page);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Creates an account and signs it in; needs no token. BAD_USER_INPUT as SignUpInput says (rule unique when ' +
      'the username is taken, whatever the case). After 20 sign-ups from one address in an hour, RATE_LIMITED; ' +
      'extensions.retryAfter says in how many seconds to try again.',
  })
  signUp(
    @Arg('input', () => SignUpInput, { description: 'The new account.' }) input: SignUpInput,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return ctx.services.users.signUp(input, ctx.clientIp);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in and gives a new token; needs none. A wrong username or password is UNAUTHENTICATED (the same ' +
      'error for both). After 10 failures for one username from one address (then locked 15 minutes), or 100 ' +
      'failures from one address in a day, RATE_LIMITED even with the right password; extensions.retryAfter ' +
      'gives the seconds to wait.',
  })
  logIn(
    @Arg('input', () => LogInInput, { description: 'The credentials.' }) input: LogInInput,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return ctx.services.users.logIn(input, ctx.clientIp);
  }

  @Mutation(() => Boolean, {
    description:
      'Revokes the token of this request at once, ending the subscriptions opened with it; gives true. Needs a ' +
      'token (UNAUTHENTICATED).',
  })
  logOut(@Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.users.logOut(requireViewer(ctx.viewer));
  }
}
