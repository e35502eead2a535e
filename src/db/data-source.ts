import 'reflect-metadata';
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
];

/** Options of the one pool the process uses. */
export interface DataSourceOptions {
  /** A postgres:// URL. */
  url: string;
  /** Most connections the pool opens. @default 10 */
  poolSize?: number;
  /** Receives every SQL statement the DataSource runs, with its parameters (tests count and EXPLAIN them). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  /** A statement running longer is cancelled and its connection goes back to the pool. @default 10000 */
  statementTimeoutMs?: number;
  /** Told about errors of idle pool connections (a database restart), which must not crash the process. */
  onPoolError?: (error: Error) => void;
}

/**
 * `url` with sessions that give a prepared statement its generic plan from the first run. Left to
 * itself, PostgreSQL kept planning the page's statements for their values (a custom plan, which
 * costs more than running them) because a generic plan's estimate for an array of ids looks dearer.
 * Only statements whose generic plans are checked go there (src/db/prepared.ts, test/explain.test.ts):
 * a search, say, needs plans made for its words.
 */
function withGenericPlans(url: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${options ? `${options} ` : ''}-c plan_cache_mode=force_generic_plan`);
  return parsed.toString();
}

/** Creates (not initializes) the DataSource. Migrations run explicitly, never `synchronize`. */
export function createDataSource({
  url,
  poolSize = 10,
  onQuery,
  statementTimeoutMs = 10_000,
  onPoolError = () => undefined,
}: DataSourceOptions): DataSource {
  useFastTimestamps();
  return new DataSource({
    type: 'postgres',
    // Two pools on the one database, both opened, guarded and closed by TypeORM: everything runs on
    // the first; the page's prepared reads run on the second, whose sessions plan them generically.
    replication: { master: { url }, slaves: [{ url: withGenericPlans(url) }] },
    entities,
    migrations,
    migrationsTableName: 'migration',
    synchronize: false,
    poolSize,
    // A refused connection fails at once; waiting for a free connection in a burst may take a while.
    extra: { connectionTimeoutMillis: 10_000, statement_timeout: statementTimeoutMs },
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
}

/**
 * Initializes the DataSource and applies pending migrations, each in its own transaction.
 * @param migrate @default true; false for a worker whose primary migrated the database already
 */
export async function openDatabase(options: DataSourceOptions, migrate = true): Promise<DataSource> {
  const db = createDataSource(options);
  await db.initialize();
  if (migrate) await db.runMigrations({ transaction: 'each' });
  return db;
}
