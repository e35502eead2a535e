import { Field, Int, ObjectType } from 'type-graphql';
import { Post } from '../../entities/post.entity.js';
import type { SearchEdge, SearchPage } from '../../src/loaders/search.js';
import { PageInfo } from './connection.js';

@ObjectType('PostEdge', { description: 'One post a search found, with its cursor and where it matches.' })
export class PostEdge {
  @Field({ description: 'Opaque cursor of this item: pass it as `after` to read what follows.' })
  cursor: string;

  @Field(() => Post, { description: 'The question, answer or reply found.' })
  node: Post;

  @Field({
    description:
      'An extract of the post (a question: its title, then its body) around what matched, as HTML: the text is ' +
      'escaped and the matched words are wrapped in <mark>…</mark>, the only tags it ever holds.',
  })
  snippet: string;
}

@ObjectType('PostConnection', { description: 'A page of posts found by a search, best match first.' })
export class PostConnection {
  constructor(private readonly page: SearchPage) {}

  @Field(() => [PostEdge], { description: 'The items of this page with their cursors and snippets.' })
  edges(): SearchEdge[] {
    return this.page.edges;
  }

  @Field(() => [Post], { description: 'The items of this page, without cursors.' })
  nodes(): Post[] {
    return this.page.edges.map((edge) => edge.node);
  }

  @Field(() => PageInfo)
  pageInfo(): PageInfo {
    const { edges } = this.page;
    return {
      hasNextPage: this.page.hasNextPage,
      hasPreviousPage: this.page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    };
  }

  @Field(() => Int, { description: 'How many posts match, across all pages.' })
  totalCount(): number | Promise<number> {
    const { totalCount } = this.page;
    return typeof totalCount === 'number' ? totalCount : totalCount();
  }
}
