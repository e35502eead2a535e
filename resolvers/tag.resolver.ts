import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Tag } from '../entities/tag.entity.js';
import type { Context } from '../src/context.js';
import { checkText } from '../src/services/rules.js';
import { afterDescription, defaultPageSize, shortItemsPageSize, firstOptions, pageArgs } from './args.js';
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
    @Arg('first', () => Int, firstOptions(shortItemsPageSize)) first: number,
    @Arg('after', () => String, { nullable: true, description: afterDescription }) after: string | null,
    @Arg('prefix', () => String, { nullable: true, description: 'Only tags whose name starts with it.' })
    prefix: string | null,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof TagConnection>> {
    return new TagConnection(
      await ctx.loaders.tags({
        ...pageArgs(first, after, shortItemsPageSize),
        prefix: prefix == null ? undefined : checkText('prefix', prefix),
      }),
    );
  }

  @FieldResolver(() => QuestionConnection, { description: 'The questions carrying this tag.' })
  async questions(
    @Root() tag: Tag,
    @Arg('first', () => Int, firstOptions(defaultPageSize)) first: number,
    @Arg('after', () => String, { nullable: true, description: afterDescription }) after: string | null,
    @Arg('orderBy', () => QuestionOrder, {
      nullable: true,
      defaultValue: QuestionOrder.ACTIVE,
      description: 'How to sort them.',
    })
    order: QuestionOrder,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof QuestionConnection>> {
    const args = { ...pageArgs(first, after, defaultPageSize), order: order ?? QuestionOrder.ACTIVE, tagId: tag.rowId };
    return new QuestionConnection(await ctx.loaders.questions(args));
  }
}
