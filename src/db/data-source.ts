import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { entities } from '../../entities/index.js';
import { ThreadSchema1764150000000 } from './migrations/1764150000000-thread-schema.js';
import { ThreadEvents1764160000000 } from './migrations/1764160000000-thread-events.js';
import { Search1764170000000 } from './migrations/1764170000000-search.js';
import { Notifications1764180000000 } from './migrations/1764180000000-notifications.js';
import { Revisions1764190000000 } from './migrations/1764190000000-revisions.js';
import { SearchTable1764200000000 } from './migrations/1764200000000-search-table.js';
import { VoteFunction1764210000000 } from './migrations/1764210000000-vote-function.js';
import { Moderation1764220000000 } from './migrations/1764220000000-moderation.js';
import { PageEpoch1764225000000 } from './migrations/1764225000000-page-epoch.js';
import { EventAudience1764230000000 } from './migrations/1764230000000-event-audience.js';
import { Database } from './database.js';
import { useFastTimestamps } from './timestamps.js';

/** Every migration, oldest first. */
export const migrations = [
  ThreadSchema1764150000000,
  ThreadEvents1764160000000,
  Search1764170000000,
  Notifications1764180000000,
  Revisions1764190000000,
  SearchTable1764200000000,
  VoteFunction1764210000000,
  Moderation1764220000000,
  PageEpoch1764225000000,
  EventAudience1764230000000,
];

/** Options of the database: one configuration for both of its pools. */
export interface DatabaseOptions {
  /** A postgres:// URL. */
  url: string;
  /** Most connections each pool opens. @default 10 */
  poolSize?: number;
  /** Receives every SQL statement the database runs, with its parameters (tests count and EXPLAIN them). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  /** A statement running longer is cancelled and its connection goes back to the pool. @default 10000 */
  statementTimeoutMs?: number;
  /** How long a query waits for a free connection of a pool before it fails. @default 10000 */
  connectionTimeoutMs?: number;
  /** Told about errors of idle pool connections (a database restart), which must not crash the process. */
  onPoolError?: (error: Error) => void;
}

/**
 * `url` with sessions that give a prepared statement its generic plan from the first run. Left to
 * itself, PostgreSQL kept planning the page's statements for their values (a custom plan, which
 * costs more than running them) because a generic plan's estimate for an array of ids looks dearer.
 * Only statements whose generic plans are checked go there (Database.prepared, test/explain.test.ts):
 * a search, say, needs plans made for its words.
 */
function withGenericPlans(url: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${options ? `${options} ` : ''}-c plan_cache_mode=force_generic_plan`);
  return parsed.toString();
}

/** The key of the advisory lock that migrations and the demo import hold (any fixed bigint; "thread-a"). */
const setUpLock = 0x7468726561642d61n;

/**
 * Runs `work` holding a PostgreSQL advisory lock on a connection of its own, so that of several
 * instances starting on one database, one migrates (and imports the demo) while the others wait, then
 * find the work done. The lock goes with the connection if this process dies.
 */
export async function exclusively<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [setUpLock.toString()]);
    return await work();
  } finally {
    await client.end();
  }
}

/** Applies pending migrations, each in its own transaction; the caller holds {@link exclusively}. Returns their names. */
export async function runMigrations(db: Database): Promise<string[]> {
  const applied = await db.typeorm.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}

/**
 * pg as TypeORM's `driver` option takes it, handing each pool it makes to `made`: the pool's counts
 * are then read through pg's public API rather than from the driver's fields.
 */
function pgReporting(made: (pool: pg.Pool) => void): typeof pg {
  class ReportedPool extends pg.Pool {
    constructor(config?: pg.PoolConfig) {
      super(config);
      made(this);
    }
  }
  return { ...pg, Pool: ReportedPool };
}

/**
 * Opens the database: TypeORM's DataSource (initialized; when `migrate`, with pending migrations
 * applied under {@link exclusively}; never `synchronize`) and the pool of generic-plan sessions, both
 * made from the same pool configuration.
 * @param migrate @default true; false where migrations ran already (a worker, MIGRATE=false)
 */
export async function openDatabase(
  {
    url,
    poolSize = 10,
    onQuery,
    statementTimeoutMs = 10_000,
    connectionTimeoutMs = 10_000,
    onPoolError = () => undefined,
  }: DatabaseOptions,
  migrate = true,
): Promise<Database> {
  useFastTimestamps();
  // A refused connection fails at once; waiting for a free connection in a burst may take a while.
  const pool = { max: poolSize, connectionTimeoutMillis: connectionTimeoutMs, statement_timeout: statementTimeoutMs };
  let typeormPool: pg.Pool | undefined;
  const typeorm = new DataSource({
    type: 'postgres',
    driver: pgReporting((made) => (typeormPool = made)),
    url,
    entities,
    migrations,
    migrationsTableName: 'migration',
    synchronize: false,
    poolSize,
    extra: pool,
    poolErrorHandler: onPoolError,
    logger: onQuery
      ? {
          logQuery: (sql: string, parameters?: unknown[]) => onQuery(sql, parameters ?? []),
          logQueryError: () => undefined,
          logQuerySlow: () => undefined,
          logSchemaBuild: () => undefined,
          logMigration: () => undefined,
          log: () => undefined,
        }
      : undefined,
    logging: onQuery ? ['query'] : false,
  });
  await typeorm.initialize();
  const genericPlans = new pg.Pool({ ...pool, connectionString: withGenericPlans(url) });
  genericPlans.on('error', onPoolError);
  if (typeormPool === undefined) throw new Error('TypeORM made no pool through the driver it was given');
  const db = new Database(typeorm, genericPlans, typeormPool);
  if (migrate) {
    await exclusively(url, () => runMigrations(db)).catch(async (error: unknown) => {
      await db.destroy();
      throw error;
    });
  }
  return db;
}
