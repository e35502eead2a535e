import express, { type Router } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../db/database.js';
import { toGlobalId } from '../ids.js';

/** The project folder: the nearest one above this module that holds package.json (from src/ or dist/src/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error('No package.json above the service: run it from the project');
    dir = dirname(dir);
  }
  return dir;
}

/** Where `npm run build` puts the GraphiQL bundle. */
export const graphiqlAssets = join(projectRoot(), 'dist', 'graphiql');

const threadPage = (
  id: string,
) => `# The demo thread's page: the question, its top answers, the first replies under each.
query ThreadView {
  question(id: "${id}") {
    id title body createdAt score viewerVote
    author { username displayName }
    tags { name }
    answers(first: 10, orderBy: TOP) {
      nodes {
        id body score createdAt viewerVote
        author { username displayName }
        replies(first: 5) { nodes { id body score viewerVote author { username displayName } } }
      }
    }
  }
}`;

const watchThread = (
  id: string,
) => `# Every change of the thread, live. Vote, answer or reply from another tab and watch it arrive.
subscription WatchThread {
  threadEvents(questionId: "${id}") {
    cursor kind at postId score
    post { __typename id score }
  }
}`;

/** The page; `tabs` open on the demo thread. JSON is escaped so no text can close the script tag. */
function page(tabs: unknown): string {
  const config = JSON.stringify({ tabs }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Thread API · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/browser.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script id="graphiql-config" type="application/json">${config}</script>
  <script type="module" src="/graphiql/assets/browser.js"></script>
</body>
</html>`;
}

/**
 * GraphiQL at GET /graphiql (and GET /graphql asked for HTML), from the bundle in dist/graphiql.
 * Its default tabs hold the thread page and a threadEvents subscription on the oldest question.
 */
export function graphiqlRouter(db: Database): Router {
  const router = express.Router();
  router.use('/graphiql/assets', express.static(graphiqlAssets, { immutable: true, maxAge: '1h' }));
  const serve: express.RequestHandler = async (_req, res, next) => {
    try {
      const rows: Array<{ id: number }> = await db.query(
        `SELECT id FROM post WHERE kind = 'question' AND deleted_at IS NULL ORDER BY id LIMIT 1`,
      );
      const id = rows[0] ? toGlobalId('Question', rows[0].id) : '';
      res.type('html').send(page([{ query: threadPage(id) }, { query: watchThread(id) }]));
    } catch (error) {
      next(error);
    }
  };
  router.get('/graphiql', serve);
  router.get('/graphql', (req, res, next) =>
    req.accepts(['json', 'html']) === 'html' ? serve(req, res, next) : next(),
  );
  return router;
}
