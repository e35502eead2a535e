import { createServer } from 'node:http';
import pg from 'pg';

/**
 * The floor: the thread page as ONE hand-written SQL statement behind a bare `node:http` server,
 * answering any POST with the JSON the service gives for the bench's thread page query. No GraphQL,
 * no sessions: the viewer is the user id in the `x-user-id` header, if any. It is what the page
 * costs at least, on the same PostgreSQL and the same pool size as the service.
 *
 * Run as `node dist/bench/floor.js` with DATABASE_URL and PORT; it listens on 127.0.0.1.
 */

const globalId = (type: string, column: string) =>
  `translate(rtrim(encode(convert_to('${type}:' || ${column}, 'UTF8'), 'base64'), '='), '+/', '-_')`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const viewerVote = (post: string) =>
  `(SELECT CASE v.value WHEN 1 THEN 'UP' ELSE 'DOWN' END FROM vote v WHERE v.post_id = ${post} AND v.user_id = $2)`;
const author = (user: string) => `json_build_object('username', ${user}.username, 'displayName', ${user}.display_name)`;

const threadPageSql = `
SELECT json_build_object('data', json_build_object('question', (
  SELECT json_build_object(
    'id', ${globalId('Question', 'q.id')}, 'title', q.title, 'body', q.body, 'createdAt', ${iso('q.created_at')},
    'score', q.score, 'viewerVote', ${viewerVote('q.id')}, 'author', ${author('qu')},
    'tags', (SELECT coalesce(json_agg(json_build_object('name', t.name) ORDER BY qt.position), '[]')
               FROM question_tag qt JOIN tag t ON t.id = qt.tag_id WHERE qt.question_id = q.id),
    'answers', json_build_object('nodes', (
      SELECT coalesce(json_agg(json_build_object(
        'id', ${globalId('Answer', 'a.id')}, 'body', a.body, 'score', a.score, 'createdAt', ${iso('a.created_at')},
        'viewerVote', ${viewerVote('a.id')}, 'author', ${author('au')},
        'replies', json_build_object('nodes', rs.nodes)
      ) ORDER BY a.score DESC, a.created_at, a.id), '[]')
      FROM (SELECT id, body, score, created_at, author_id FROM post
             WHERE question_id = q.id AND kind = 'answer' AND deleted_at IS NULL
             ORDER BY score DESC, created_at, id LIMIT 10) a
      JOIN "user" au ON au.id = a.author_id
      CROSS JOIN LATERAL (
        SELECT coalesce(json_agg(json_build_object(
          'id', ${globalId('Reply', 'r.id')}, 'body', r.body, 'score', r.score,
          'viewerVote', ${viewerVote('r.id')}, 'author', ${author('ru')}
        ) ORDER BY r.created_at, r.id), '[]') AS nodes
        FROM (SELECT id, body, score, created_at, author_id FROM post
               WHERE answer_id = a.id AND kind = 'reply' AND deleted_at IS NULL
               ORDER BY created_at, id LIMIT 5) r
        JOIN "user" ru ON ru.id = r.author_id
      ) rs
    ))
  )
  FROM post q JOIN "user" qu ON qu.id = q.author_id
  WHERE q.id = $1 AND q.kind = 'question' AND q.deleted_at IS NULL
)))::text AS body`;

/** The row id in a `Question:<id>` global id, or null. */
function questionRowId(id: unknown): number | null {
  if (typeof id !== 'string') return null;
  const match = /^Question:([1-9][0-9]{0,9})$/.exec(Buffer.from(id, 'base64url').toString());
  return match ? Number(match[1]) : null;
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as { variables?: { id?: unknown } };
          const userId = Number(req.headers['x-user-id']) || null;
          const { rows } = await pool.query<{ body: string }>({
            name: 'thread-page',
            text: threadPageSql,
            values: [questionRowId(variables?.id) ?? 0, userId],
          });
          res.writeHead(200, { 'content-type': 'application/json' }).end(rows[0].body);
        } catch (error) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [String(error)] }));
        }
      })();
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const stop = () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
