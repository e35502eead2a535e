import type { Database } from '../db/database.js';
import type { PostKind } from '../../entities/post.entity.js';
import { setBounded } from '../bounded-map.js';

/** What never changes about a post once written. */
export interface PostFacts {
  kind: PostKind;
  authorId: number;
}

/**
 * The kind and author of posts, read once per process and kept: neither ever changes, so what is
 * kept is never stale (whether the post is still live is the write's own statement to check). A vote
 * decides its policy from them instead of reading the post in a round trip of its own.
 */
export class PostFactsCache {
  private readonly known = new Map<number, PostFacts>();

  constructor(
    private readonly db: Database,
    private readonly capacity = 10_000,
  ) {}

  /** The facts of a live post, or undefined when there is none with that id. */
  async of(rowId: number): Promise<PostFacts | undefined> {
    const kept = this.known.get(rowId);
    if (kept !== undefined) return kept;
    const [row] = await this.db.prepared<PostFacts>(
      'SELECT kind, author_id AS "authorId" FROM post WHERE id = $1 AND deleted_at IS NULL',
      [rowId],
    );
    if (row === undefined) return undefined;
    setBounded(this.known, rowId, row, this.capacity);
    return row;
  }
}
