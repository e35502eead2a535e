import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource, EntityManager, Logger } from 'typeorm';

const names = new Map<string, string>();

/** A statement's name: derived from its text, so one name never stands for two texts on a connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `r${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return name;
}

/** Logs `text` (tests count statements through the logger), then runs it as a named statement on `on`. */
async function runNamed<R extends pg.QueryResultRow>(
  on: pg.Pool | pg.PoolClient,
  logger: Logger,
  text: string,
  values: unknown[],
): Promise<R[]> {
  logger.logQuery(text, values);
  const { rows } = await on.query<R>({ name: nameOf(text), text, values });
  return rows;
}

/** The pool whose sessions plan prepared statements generically (see data-source.ts). */
function poolOf(db: DataSource): pg.Pool {
  return (db.driver as unknown as { slaves: pg.Pool[] }).slaves[0];
}

/**
 * Runs a read as a named (prepared) statement with a generic plan, on the DataSource's second pool,
 * and returns its rows. PostgreSQL then parses and plans it once per connection instead of on every
 * call: on the bench data, planning a page's statements cost more than running them. TypeORM's query
 * runner is skipped too; the statement still goes to the DataSource's logger, so tests count it.
 *
 * Only for statements whose generic plan is good whatever the values (test/explain.test.ts checks
 * the page's). `text` must come from a bounded set built by code, never from input: each distinct
 * text is prepared on each connection that runs it and kept for that connection's life. Errors are
 * pg's own (not TypeORM's QueryFailedError).
 */
export async function preparedRows<R extends pg.QueryResultRow>(
  db: DataSource,
  text: string,
  values: unknown[],
): Promise<R[]> {
  return runNamed(poolOf(db), db.logger, text, values);
}

/**
 * Runs a statement of a write transaction as a named prepared statement on that transaction's
 * connection, and returns its rows: the hot writes (a vote's lock, its vote-score-reputation
 * statement, the outbox) are parsed once per connection instead of on every call. `text` must come
 * from a bounded set built by code, as for {@link preparedRows}. Errors are pg's own: their `code`
 * is the SQLSTATE.
 */
export async function preparedInTransaction<R extends pg.QueryResultRow>(
  m: EntityManager,
  text: string,
  values: unknown[],
): Promise<R[]> {
  // TypeORM's query runner of the transaction holds the pool client it began on.
  const client = (m.queryRunner as unknown as { databaseConnection: pg.PoolClient | undefined }).databaseConnection;
  if (client === undefined) throw new Error('preparedInTransaction needs the manager of a running transaction');
  return runNamed(client, m.connection.logger, text, values);
}
