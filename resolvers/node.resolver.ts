import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../src/context.js';
import { BadUserInputError } from '../src/errors/index.js';
import { fromGlobalId } from '../src/ids.js';
import { Node } from '../entities/node.js';

const maxIds = 100;

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      "Any object by its global id; null when absent, someone else's notification, or a deleted or hidden post " +
      'that the viewer neither wrote nor moderates.',
  })
  node(
    @Arg('id', () => ID, { description: 'A global id; a string that is not one is BAD_USER_INPUT (rule globalId).' })
    id: string,
    @Ctx() ctx: Context,
  ): Promise<Node | null> {
    return loadNode(ctx, id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: 'Objects by global id, in the order of `ids`; null in place of each that `node` gives as null.',
  })
  nodes(
    @Arg('ids', () => [ID], {
      description: `Global ids, at most ${maxIds} (more is BAD_USER_INPUT, rule count); each as in \`node\`.`,
    })
    ids: string[],
    @Ctx() ctx: Context,
  ): Promise<Array<Node | null>> {
    if (ids.length > maxIds) {
      throw new BadUserInputError(`ids takes at most ${maxIds} ids`, { field: 'ids', rule: 'count', max: maxIds });
    }
    return Promise.all(ids.map((id) => loadNode(ctx, id)));
  }
}

async function loadNode(ctx: Context, id: string): Promise<Node | null> {
  const { type, rowId } = fromGlobalId(id);
  if (type === 'User') return ctx.loaders.user.load(rowId);
  if (type === 'Tag') return ctx.loaders.tag.load(rowId);
  if (type === 'Notification') {
    const notification = await ctx.loaders.notification.load(rowId);
    return notification?.userId === ctx.viewer?.userId ? notification : null;
  }
  const post = await ctx.loaders.visiblePost.load(rowId);
  return post !== null && post.nodeType === type ? post : null;
}
