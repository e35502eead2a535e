import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { retryingClashes } from './transaction.js';

/** What a transaction's work runs its statements on; it commits when the work resolves. */
export interface Transaction {
  /** Runs `sql` and gives TypeORM's result: the rows, or `[rows, affected]` for UPDATE and DELETE. */
  query<T = Row[]>(sql: string, parameters?: unknown[]): Promise<T>;
  /**
   * Runs `text` as a named prepared statement on the transaction's connection and gives its rows: the
   * hot writes (a post's lock, the outbox) are parsed once per connection instead of on every call.
   * The same contract as {@link Database.prepared} for `text`; its plans are the usual ones.
   */
  prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]>;
}

/** A pool's connections: open, idle among them, callers waiting for one, and the most it opens. */
export interface PoolCounts {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

function countsOf(pool: pg.Pool): PoolCounts {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
}

/** A row as a statement gives it, before a caller says what it holds. */
export type Row = Record<string, unknown>;

const names = new Map<string, string>();

/** A statement's name: derived from its text, so one name never stands for two texts on a connection. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `r${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return name;
}

/**
 * The one way to the database, for the services, the loaders and the tests: TypeORM's DataSource for
 * migrations, entity metadata and plain statements, and a pool whose sessions plan prepared statements
 * generically. Every statement of both goes to the DataSource's logger, so tests count them all.
 */
export class Database {
  /**
   * @param typeorm the initialized DataSource; its metadata is the entities' mapping
   * @param genericPlans sessions on the same database with `plan_cache_mode=force_generic_plan`
   * @param typeormPool the pool the DataSource made (see openDatabase), for its counts
   */
  constructor(
    readonly typeorm: DataSource,
    private readonly genericPlans: pg.Pool,
    private readonly typeormPool: pg.Pool,
  ) {}

  /** Runs `sql` outside any transaction; the result as {@link Transaction.query} gives it. */
  query<T = Row[]>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.typeorm.query<T>(sql, parameters);
  }

  /**
   * Runs a read as a named (prepared) statement with a generic plan and returns its rows. PostgreSQL
   * then parses and plans it once per connection instead of on every call: on the bench data,
   * planning a page's statements cost more than running them.
   *
   * Only for statements whose generic plan is good whatever the values (test/explain.test.ts checks
   * the page's). `text` must come from a bounded set built by code, never from input: each distinct
   * text is prepared on each connection that runs it and kept for that connection's life. Errors are
   * pg's own (not TypeORM's QueryFailedError): their `code` is the SQLSTATE.
   */
  prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    return this.runNamed(this.genericPlans, text, values);
  }

  /**
   * Runs a read on the pool of {@link prepared} without naming it: planned on every call, kept by no
   * session. For texts that come from a client's document, past the few that are worth preparing.
   */
  async unprepared<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    this.typeorm.logger.logQuery(text, values);
    const { rows } = await this.genericPlans.query<R>({ text, values });
    return rows;
  }

  /**
   * Runs `work` in one transaction, and again (up to 3 times in all) when PostgreSQL aborted it for
   * a deadlock or a serialization failure, so such a clash never reaches the client. `work` may
   * therefore run more than once: it must keep its effects to the transaction until it resolves.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return retryingClashes(() =>
      this.typeorm.transaction(async (manager) => {
        const runner = manager.queryRunner;
        if (runner === undefined) throw new Error('TypeORM began a transaction without a query runner');
        // QueryRunner.connect() gives the driver's connection the transaction holds: a pg PoolClient.
        const client: pg.PoolClient = await runner.connect();
        return work({
          query: (sql, parameters) => runner.query(sql, parameters),
          prepared: (text, values) => this.runNamed(client, text, values),
        });
      }),
    );
  }

  /** How many connections each pool holds, idle, and waited for: `typeorm` (entities, transactions) and `prepared`. */
  poolCounts(): Record<'typeorm' | 'prepared', PoolCounts> {
    return { typeorm: countsOf(this.typeormPool), prepared: countsOf(this.genericPlans) };
  }

  /** Closes both pools; statements still running finish first. */
  async destroy(): Promise<void> {
    await Promise.all([this.typeorm.destroy(), this.genericPlans.end()]);
  }

  private async runNamed<R extends pg.QueryResultRow>(
    on: pg.Pool | pg.PoolClient,
    text: string,
    values: unknown[],
  ): Promise<R[]> {
    this.typeorm.logger.logQuery(text, values);
    const { rows } = await on.query<R>({ name: nameOf(text), text, values });
    return rows;
  }
}
