import { loadConfig } from './config.js';
import { openDatabase } from './db/data-source.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.js';
import { importDemoThread, isEmpty } from './demo/import-demo.js';
import { startServer } from './http/server.js';
import { createLog } from './log.js';
import { buildThreadSchema } from './schema.js';
import { createApp } from './context.js';
import { startPruning } from './realtime/outbox.js';
import { createRealtime } from './realtime/pubsub.js';
import { createRateLimits } from './services/rate-limits.js';

/** `npm start`: the database (embedded unless DATABASE_URL), migrations, the demo thread, the server. */
const config = loadConfig();
const log = createLog();

let embedded: EmbeddedDatabase | undefined;
let url = config.databaseUrl;
if (url === undefined) {
  log.info('starting embedded PostgreSQL', { dataDir: config.dataDir });
  embedded = await startEmbeddedDatabase(config.dataDir);
  url = embedded.url;
}
const db = await openDatabase({
  url,
  statementTimeoutMs: config.statementTimeoutMs,
  poolSize: config.poolSize,
  onPoolError: (error) => log.warn('database connection lost', { error: error.message }),
});
const realtime = createRealtime(config.redisUrl);
const rateLimits = createRateLimits(config, config.redisUrl);
const app = createApp(db, realtime, config, rateLimits);
if (config.seedDemo && (await isEmpty(db))) {
  const questionId = await importDemoThread(db, app.services, { password: config.demoPassword });
  log.info('imported the demo thread', { questionId });
}
const stopPruning = startPruning(db, config.eventRetentionSeconds, 3600, (error) =>
  log.error('pruning thread events failed', { error: String(error) }),
);
const server = await startServer({
  app,
  schema: await buildThreadSchema(realtime.pubsub),
  log,
  port: config.port,
  host: config.host,
  nodeEnv: config.nodeEnv,
  trustProxy: config.trustProxy,
  socketLimits: config.socketLimits,
});
log.info('listening', { graphql: `${server.url}/graphql` });

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  stopPruning();
  await server.close();
  await realtime.close();
  await rateLimits.close();
  await db.destroy();
  await embedded?.stop();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
