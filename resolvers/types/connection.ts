import { Field, Int, ObjectType } from 'type-graphql';
import type { Page } from '../../src/loaders/pagination.js';

@ObjectType('PageInfo', {
  simpleResolvers: true,
  description: 'Where a page sits in its list (Relay cursor connections).',
})
export class PageInfo {
  @Field({
    description:
      'True when more items follow this page: pass endCursor as `after` to read them. Read backward, ' +
      'true when the page was read with `before`.',
  })
  hasNextPage: boolean;

  @Field({
    description:
      'True when this page was read with `after`, so items come before it. Read backward, true when ' +
      'more items precede it: pass startCursor as `before` to read them.',
  })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item; null on an empty page.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; null on an empty page.' })
  endCursor: string | null;
}

/** The default edge of a connection over `node`: `${name}Edge`, a cursor and the node. */
function edgeOf<T extends object>(name: string, node: abstract new () => T) {
  @ObjectType(`${name}Edge`, {
    simpleResolvers: true,
    description: `One ${name.toLowerCase()} in a list, with its cursor.`,
  })
  class Edge {
    @Field({
      description:
        'Opaque cursor of this item: pass it as `after` to read what follows, or `before` for what precedes.',
    })
    cursor: string;

    @Field(() => node, { description: `The ${name.toLowerCase()}.` })
    node: T;
  }
  return Edge;
}

/**
 * The GraphQL class of a connection over `node`, `${name}Connection`, built from a page. Its edge type
 * is `${name}Edge` unless `options.edge` gives one with more fields.
 */
export function connectionOf<T extends object>(
  name: string,
  node: abstract new () => T,
  options: { edge?: abstract new () => { cursor: string; node: T }; description?: string } = {},
) {
  const Edge = options.edge ?? edgeOf(name, node);

  @ObjectType(`${name}Connection`, {
    description: options.description ?? `A page of ${name.toLowerCase()}s (Relay cursor connection).`,
  })
  class Connection {
    constructor(private readonly page: Page<T>) {}

    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges(): Page<T>['edges'] {
      return this.page.edges;
    }

    @Field(() => [node], { description: 'The items of this page, without cursors.' })
    nodes(): T[] {
      return this.page.edges.map((edge) => edge.node);
    }

    @Field(() => PageInfo, {
      description:
        'Where this page sits: its endCursor as `after` reads the next page, its startCursor as `before` the previous.',
    })
    pageInfo(): PageInfo {
      const { edges } = this.page;
      return {
        hasNextPage: this.page.hasNextPage,
        hasPreviousPage: this.page.hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      };
    }

    @Field(() => Int, { description: 'How many items the whole list holds, across all pages.' })
    totalCount(): number | Promise<number> {
      const { totalCount } = this.page;
      return typeof totalCount === 'number' ? totalCount : totalCount();
    }
  }
  return Connection;
}
