import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

const names = new Map<string, string>();

/** A statement's name: derived from its text, so one name never stands for two texts on a connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `r${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return name;
}

/** The pg pool TypeORM opened for `db` (its `master`: we configure no replicas). */
function poolOf(db: DataSource): pg.Pool {
  return (db.driver as unknown as { master: pg.Pool }).master;
}

/**
 * Runs a read as a named (prepared) statement on the DataSource's own pool and returns its rows.
 * PostgreSQL then parses and plans it once per connection instead of on every call: on the bench
 * data, planning a page's statements cost more than running them. TypeORM's query runner is skipped
 * too; the statement still goes to the DataSource's logger, so tests count it like any other.
 *
 * `text` must come from a bounded set built by code, never from input: each distinct text is
 * prepared on each connection that runs it and kept for that connection's life. Errors are pg's own
 * (not TypeORM's QueryFailedError).
 */
export async function preparedRows<R extends pg.QueryResultRow>(
  db: DataSource,
  text: string,
  values: unknown[],
): Promise<R[]> {
  db.logger.logQuery(text, values);
  const { rows } = await poolOf(db).query<R>({ name: nameOf(text), text, values });
  return rows;
}
