import { Field, ObjectType } from 'type-graphql';
import { Post } from '../../entities/post.entity.js';
import { connectionOf } from './connection.js';

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

export const PostConnection = connectionOf('Post', Post, {
  edge: PostEdge,
  description: 'A page of posts found by a search, best match first.',
});
