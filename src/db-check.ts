import { loadConfig } from './config.js';
import { findDrift } from './db/consistency.js';
import { openDatabase } from './db/data-source.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.js';

/**
 * `npm run db:check`: recomputes every score, reputation and counter from the rows and prints any
 * drift; exits 1 when there is some. On DATABASE_URL, or on the embedded database in DATA_DIR (then
 * the service must be stopped, since one PostgreSQL at a time owns that folder).
 */
const config = loadConfig();
let embedded: EmbeddedDatabase | undefined;
if (config.databaseUrl === undefined) embedded = await startEmbeddedDatabase(config.dataDir);
const db = await openDatabase({ url: config.databaseUrl ?? (embedded as EmbeddedDatabase).url });
const drift = await findDrift(db);
await db.destroy();
await embedded?.stop();
for (const row of drift) console.log(`${row.what} of ${row.id}: stored ${row.stored}, rows say ${row.actual}`);
console.log(drift.length === 0 ? 'no drift: every counter equals its rows' : `${drift.length} counters drifted`);
process.exit(drift.length === 0 ? 0 : 1);
