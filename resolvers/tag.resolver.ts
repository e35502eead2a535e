import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { Tag } from '../entities/tag.entity.js';
import type { Context } from '../src/context.js';
import { checkText } from '../src/services/rules.js';
import { type ConnectionArgs, PageArgsType, ShortPageArgsType } from './args.js';
import { QuestionConnection, TagConnection } from './types/connections.js';
import { QuestionOrder } from './types/enums.js';

@Resolver(() => Tag)
export class TagResolver {
  @Query(() => Tag, { nullable: true, description: 'A tag by name (any case); null when absent.' })
  tag(
    @Arg('name', { description: "The tag's name, in any case." }) name: string,
    @Ctx() ctx: Context,
  ): Promise<Tag | null> {
    return ctx.loaders.tagByName.load(checkText('name', name).trim().toLowerCase());
  }

  @Query(() => TagConnection, { description: 'Tags in use, most used first; `prefix` narrows them for autocomplete.' })
  async tags(
    @Args(() => ShortPageArgsType) args: ConnectionArgs,
    @Arg('prefix', () => String, { nullable: true, description: 'Only tags whose name starts with it.' })
    prefix: string | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof TagConnection>> {
    return new TagConnection(
      await ctx.loaders.tags({
        ...args.page(info),
        prefix: prefix == null ? undefined : checkText('prefix', prefix),
      }),
    );
  }

  @FieldResolver(() => QuestionConnection, { description: 'The questions carrying this tag.' })
  async questions(
    @Root() tag: Tag,
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Arg('orderBy', () => QuestionOrder, {
      nullable: true,
      defaultValue: QuestionOrder.ACTIVE,
      description: 'How to sort them.',
    })
    order: QuestionOrder,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof QuestionConnection>> {
    const asked = { ...args.page(info), order: order ?? QuestionOrder.ACTIVE, tagId: tag.rowId };
    return new QuestionConnection(await ctx.loaders.questions(asked));
  }
}
