import type { Transaction } from '../db/database.js';
import { findMentionCandidates, renderBodyHTML } from '../content/markdown.js';

/** A body ready to store: its HTML and the users it mentions, in order. */
export interface RenderedBody {
  html: string;
  mentionIds: number[];
}

/** Renders a body, linking the @mentions of users that exist now. */
export async function renderBody(m: Transaction, body: string): Promise<RenderedBody> {
  const candidates = findMentionCandidates(body).map((name) => name.toLowerCase());
  const users: Array<{ id: number; username: string; key: string }> = candidates.length
    ? await m.query(`SELECT id, username, lower(username) AS key FROM "user" WHERE lower(username) = ANY($1::text[])`, [
        candidates,
      ])
    : [];
  const byKey = new Map(users.map((user) => [user.key, user]));
  const mentioned = candidates.flatMap((key) => byKey.get(key) ?? []);
  return {
    html: renderBodyHTML(body, new Map(users.map((user) => [user.key, user.username]))),
    mentionIds: mentioned.map((user) => user.id),
  };
}

/** Replaces the mentions stored for a post. */
export async function saveMentions(m: Transaction, postId: number, userIds: readonly number[]): Promise<void> {
  await m.query('DELETE FROM post_mention WHERE post_id = $1', [postId]);
  if (userIds.length === 0) return;
  await m.query(
    `INSERT INTO post_mention (post_id, user_id, position)
     SELECT $1, user_id, position FROM unnest($2::integer[]) WITH ORDINALITY AS m(user_id, position)`,
    [postId, userIds],
  );
}
