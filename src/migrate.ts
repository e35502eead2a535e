import { loadConfig } from './config.js';
import { exclusively, openDatabase, runMigrations } from './db/data-source.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.js';
import { createLog } from './log.js';
import { startupFailure } from './startup.js';

/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database in
 * DATA_DIR) under the advisory lock the instances take, and exits without serving: the release step
 * of a deployment whose instances run with MIGRATE=false.
 */
const log = createLog('info', process.stderr.isTTY === true);
let embedded: EmbeddedDatabase | undefined;
let url: string | undefined;
try {
  const config = loadConfig();
  url = config.databaseUrl;
  if (url === undefined) {
    embedded = await startEmbeddedDatabase(config.dataDir);
    url = embedded.url;
  }
  const db = await openDatabase({ url, poolSize: 1 }, false);
  const applied = await exclusively(url, () => runMigrations(db));
  await db.destroy();
  await embedded?.stop();
  log.info(applied.length > 0 ? 'migrated the database' : 'the database is up to date', { applied });
} catch (error) {
  await embedded?.stop();
  log.error(startupFailure(error, url));
  process.exit(1);
}
