import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { entities } from '../../entities/index.js';
import { ThreadSchema1764150000000 } from './migrations/1764150000000-thread-schema.js';
import { ThreadEvents1764160000000 } from './migrations/1764160000000-thread-events.js';
import { Search1764170000000 } from './migrations/1764170000000-search.js';
import { Notifications1764180000000 } from './migrations/1764180000000-notifications.js';

/** Every migration, oldest first. */
export const migrations = [
  ThreadSchema1764150000000,
  ThreadEvents1764160000000,
  Search1764170000000,
  Notifications1764180000000,
];

/** Options of the one pool the process uses. */
export interface DataSourceOptions {
  /** A postgres:// URL. */
  url: string;
  /** Most connections the pool opens. @default 10 */
  poolSize?: number;
  /** Receives every SQL statement the DataSource runs (tests count them). */
  onQuery?: (sql: string) => void;
}

/** Creates (not initializes) the DataSource. Migrations run explicitly, never `synchronize`. */
export function createDataSource({ url, poolSize = 10, onQuery }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migration',
    synchronize: false,
    poolSize,
    extra: { connectionTimeoutMillis: 5000 },
    logger: onQuery
      ? {
          logQuery: (sql: string) => onQuery(sql),
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

/** Initializes the DataSource and applies pending migrations, each in its own transaction. */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  const db = createDataSource(options);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  return db;
}
