import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../src/context.js';
import { type ConnectionArgs, PageArgsType } from './args.js';
import { PostConnection } from './types/search.js';

/** Full-text search over every question, answer and reply. */
@Resolver()
export class SearchResolver {
  @Query(() => PostConnection, {
    description:
      'Posts matching `query`, best match first (a title counts more than a body) among the 1,000 most recent ' +
      'matches; totalCount counts them all. Full text in French, ' +
      'insensitive to accents and case, words matched by their stem.',
  })
  async search(
    @Arg('query', () => String, {
      description:
        'Words to find, all of them; "a quoted phrase" finds the words in that order, -word excludes posts ' +
        'with it, `or` between words finds either. At most 500 characters (more is BAD_USER_INPUT, rule length). ' +
        'Stop words and punctuation alone give an empty result.',
    })
    query: string,
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof PostConnection>> {
    return new PostConnection(await ctx.loaders.search({ ...args.page(info), query }));
  }
}
