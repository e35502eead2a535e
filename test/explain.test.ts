import { beforeAll, describe, expect, it } from '@jest/globals';
import { print, type DocumentNode } from 'graphql';
import pg from 'pg';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/data-source.js';
import {
  ThreadPageDocument,
  ThreadViewDocument,
  ThreadViewFromEndDocument,
} from '../schema/trusted-documents/graphql.js';
import { globalId } from './support/ids.js';
import { createTestDatabase, leave, serve } from './support/servers.js';

/*
 * The thread page's statements, captured as the server runs them and EXPLAINed on a forum big enough
 * (12,200 posts, 24,460 votes, analyzed) that PostgreSQL weighs a sequential scan against the indexes
 * with real statistics. Forcing `enable_seqscan = off` on a tiny database would only show that some
 * index could serve a statement, not that the planner picks it, so the planner's own choice is checked:
 * the custom plan for the values sent, and the generic plan a prepared statement settles on.
 */

interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const watched = ['post', 'vote'];

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
let served: Awaited<ReturnType<typeof serve>>;
let statements: Statement[] = [];
let token: string;
let threadId: string;

/** Users, 200 questions of 10 answers with 5 replies each, two tags a question, about 2 votes a post. */
async function seed(): Promise<void> {
  await db.query(`INSERT INTO "user" (username, display_name, password_hash)
    SELECT 'member_' || i, 'Member ' || i, 'not-a-hash' FROM generate_series(1, 1000) i`);
  await db.query(`INSERT INTO tag (name) SELECT 'tag-' || i FROM generate_series(1, 50) i`);
  await db.query(`INSERT INTO post (kind, author_id, title, body, body_html)
    SELECT 'question', 1 + i % 1000, 'Question numéro ' || i, 'Corps ' || i, '<p>Corps ' || i || '</p>'
      FROM generate_series(1, 200) i`);
  await db.query(`INSERT INTO question_tag (question_id, tag_id, position)
    SELECT q.id, 1 + (q.id + t) % 50, t FROM post q, generate_series(0, 1) t WHERE q.kind = 'question'`);
  await db.query(`INSERT INTO post (kind, author_id, question_id, body, body_html, score)
    SELECT 'answer', 1 + (q.id * 10 + a) % 1000, q.id, 'Réponse ' || a, '<p>Réponse ' || a || '</p>', a % 7
      FROM post q, generate_series(1, 10) a WHERE q.kind = 'question'`);
  await db.query(`INSERT INTO post (kind, author_id, question_id, answer_id, body, body_html)
    SELECT 'reply', 1 + (a.id * 5 + r) % 1000, a.question_id, a.id, 'Réplique ' || r, '<p>Réplique ' || r || '</p>'
      FROM post a, generate_series(1, 5) r WHERE a.kind = 'answer'`);
  await db.query(`INSERT INTO vote (post_id, user_id, value)
    SELECT p.id, 1 + (p.id * 7 + v * 131) % 1000, 1 FROM post p, generate_series(1, 2) v`);
}

/** A parameter as an SQL literal for EXECUTE: arrays and bytea in PostgreSQL's text forms; the statement types them. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Buffer.isBuffer(value)) return pg.escapeLiteral(`\\x${value.toString('hex')}`);
  if (Array.isArray(value)) {
    return pg.escapeLiteral(
      `{${value.map((item) => (item === null ? 'NULL' : JSON.stringify(String(item)))).join(',')}}`,
    );
  }
  return pg.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
}

/** Every scan of `post` or `vote` in a plan that reads the whole table. */
function seqScans(node: PlanNode): string[] {
  const own =
    node['Node Type'] === 'Seq Scan' && watched.includes(node['Relation Name'] ?? '') ? [node['Relation Name']!] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

/** The custom plan PostgreSQL makes for the statement with these values. */
async function customPlan({ sql, parameters }: Statement): Promise<PlanNode> {
  const [row]: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }> = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, [
    ...parameters,
  ]);
  return row['QUERY PLAN'][0].Plan;
}

/** The generic plan a prepared statement may settle on after a few runs, whatever the values. */
async function genericPlan({ sql, parameters }: Statement): Promise<PlanNode> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`PREPARE page_statement AS ${sql}`);
    await client.query('SET plan_cache_mode = force_generic_plan');
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) EXECUTE page_statement(${parameters.map(literal).join(', ')})`,
    );
    return rows[0]['QUERY PLAN'][0].Plan;
  } finally {
    await client.end();
  }
}

/** The statements the server runs for one thread page, read with `document`. */
async function pageStatements(document: DocumentNode, authorization?: string): Promise<Statement[]> {
  statements = [];
  const response = await fetch(`${served.server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: print(document), variables: { id: threadId } }),
  });
  const body = (await response.json()) as { data?: { question: { answers: { nodes: unknown[] } } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data?.question.answers.nodes).toHaveLength(10);
  return [...statements];
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = await openDatabase({
    url: database.url,
    onQuery: (sql, parameters) => statements.push({ sql, parameters }),
  });
  leave(() => db.destroy());
  await seed();
  served = await serve(db);
  const { token: signedUp, user } = await served.app.services.users.signUp({
    username: 'lectrice',
    displayName: 'Lectrice',
    password: 'password123',
  });
  token = signedUp;
  const [{ id }]: Array<{ id: number }> = await db.query(
    `SELECT id FROM post WHERE kind = 'question' ORDER BY id LIMIT 1 OFFSET 100`,
  );
  // The viewer's own votes on the thread, so the signed-in page reads real ones.
  await db.query(`INSERT INTO vote (post_id, user_id, value) SELECT id, $1, 1 FROM post WHERE question_id = $2`, [
    user.rowId,
    id,
  ]);
  await db.query('ANALYZE');
  threadId = globalId('Question', id);
}, 60_000);

describe('the thread page on a forum of 12,200 posts', () => {
  // ThreadView as the bench asks for it; ThreadPage adds mentions, follows and the accepted answer.
  it.each([
    ['ThreadView', 'anonymous', ThreadViewDocument],
    ['ThreadView', 'signed in', ThreadViewDocument],
    ['ThreadPage', 'anonymous', ThreadPageDocument],
    ['ThreadPage', 'signed in', ThreadPageDocument],
    ['ThreadViewFromEnd', 'anonymous', ThreadViewFromEndDocument],
    ['ThreadViewFromEnd', 'signed in', ThreadViewFromEndDocument],
  ])(
    'should read answers, replies and votes through indexes, never a sequential scan (%s, %s)',
    async (_, viewer, document) => {
      const read = await pageStatements(document, viewer === 'signed in' ? `Bearer ${token}` : undefined);
      // The question and its answers (one statement since the question reads its first page of answers
      // along), then their replies.
      for (const kind of ['answer', 'reply']) {
        expect(read.some((statement) => statement.sql.includes(`p.kind = '${kind}'`))).toBe(true);
      }
      // ThreadView is one compiled statement (src/loaders/page-statement.ts), which names the question q.
      expect(read.some((statement) => /\bFROM post (\w+)\b.*\bWHERE \1\.id = /s.test(statement.sql))).toBe(true);
      for (const statement of read) {
        expect({ sql: statement.sql, custom: seqScans(await customPlan(statement)) }).toEqual({
          sql: statement.sql,
          custom: [],
        });
        expect({ sql: statement.sql, generic: seqScans(await genericPlan(statement)) }).toEqual({
          sql: statement.sql,
          generic: [],
        });
      }
    },
  );
});
