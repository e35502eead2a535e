import cluster, { type Worker } from 'node:cluster';
import nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RunningApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import type { Database } from './db/database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.js';
import { createLog, type Log } from './log.js';
import type { Across } from './realtime/pubsub.js';
import type { SharedCounters } from './services/rate-limits.js';
import { startupFailure } from './startup.js';

/**
 * `npm start`: the database (embedded unless DATABASE_URL), migrations, the demo thread, then the
 * server, in this process or, with WORKERS past 1, in that many worker processes sharing the port
 * while this one keeps the database, prunes the outbox, counts the rate limits and supervises.
 */
// On a terminal, lines for a person; elsewhere JSON for a collector.
const human = process.stderr.isTTY === true;
let config: Config;
try {
  config = loadConfig();
} catch (error) {
  fail(createLog('info', human), error);
}
const log = createLog(config.logLevel, human);

// Node 22.1 and later keep the compiled code of the modules below on disk, so later starts skip
// most of compiling them (Node 20 has no such cache).
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/**
 * What serving needs beyond starting PostgreSQL. Loading it is most of a start's time, so it loads
 * while PostgreSQL starts (in its own process) instead of before.
 */
async function loadParts() {
  const modules = await Promise.all([
    import('./db/data-source.js'),
    import('./app.js'),
    import('./assemble.js'),
    import('./demo/import-demo.js'),
    import('./http/metrics.js'),
    import('./metrics.js'),
    import('./realtime/outbox.js'),
    import('./services/cluster-limits.js'),
    import('./services/standing.service.js'),
  ]);
  const [dataSource, app, assemble, demo, metricsPort, metrics, outbox, clusterLimits, standing] = modules;
  return {
    ...dataSource,
    ...app,
    ...assemble,
    ...demo,
    ...metricsPort,
    ...metrics,
    ...outbox,
    ...clusterLimits,
    ...standing,
  };
}
const parts = loadParts();
// Its failure is the first await's; until then, it must not count as unhandled.
parts.catch(() => undefined);
// Where events and counters are shared between processes, when Redis is given.
const redis = config.redisUrl ? { redisUrl: config.redisUrl } : undefined;
const onPoolError = (error: Error) => log.warn('database connection lost', { error: error.message });

async function open(url: string, poolSize: number, migrate: boolean): Promise<Database> {
  const { openDatabase } = await parts;
  return openDatabase({ url, statementTimeoutMs: config.statementTimeoutMs, poolSize, onPoolError }, migrate);
}

/** Serves `db` with the configured settings, sharing events and counters as `across` and `counters` say. */
async function serve(db: Database, across?: Across, counters?: SharedCounters): Promise<RunningApp> {
  const { startApp } = await parts;
  const running = await startApp({
    db,
    rateLimits: config,
    sessionTtlSeconds: config.sessionTtlSeconds,
    across,
    counters,
    log,
    port: config.port,
    host: config.host,
    nodeEnv: config.nodeEnv,
    trustProxy: config.trustProxy,
    socketLimits: config.socketLimits,
    queryLimits: config.queryLimits,
    persistedQueries: {
      redisUrl: config.redisUrl,
      keyPrefix: config.rateLimitPrefix,
      ttlSeconds: config.persistedQueryTtlSeconds,
    },
    trustedDocuments: config.trustedDocuments,
    adminUsernames: config.adminUsernames,
    flagsToHide: config.flagsToHide,
    corsOrigins: config.corsOrigins,
    pageCacheBytes: config.pageCacheBytes,
    metricsOnPort: config.metricsPort === undefined,
    shutdownDelayMs: config.shutdownDelayMs,
  });
  // A worker of a cluster says nothing: its primary knows when all of them listen.
  if (cluster.isPrimary) {
    log.info('listening', { graphql: `${running.url}/graphql`, trustedDocuments: config.trustedDocuments?.size });
  }
  return running;
}

/** Serves `read` on METRICS_PORT, when set; resolves with how to close it. */
async function metricsPort(read: () => Promise<string>): Promise<() => Promise<void>> {
  if (config.metricsPort === undefined) return async () => undefined;
  const { listenForMetrics } = await parts;
  const served = await listenForMetrics(config.metricsPort, config.host, read);
  log.info('serving metrics', { port: served.port });
  return served.close;
}

/** Says in one line why the service could not start, and exits with 1. */
function fail(to: Log, error: unknown, databaseUrl?: string): never {
  to.error(startupFailure(error, databaseUrl));
  process.exit(1);
}

/**
 * Migrates (unless MIGRATE=false) and imports the demo thread into an empty database (when asked),
 * under the advisory lock, so that of instances starting together exactly one does each.
 */
async function setUp(db: Database, url: string): Promise<void> {
  const { assembleApp, exclusively, importDemoThread, isEmpty, runMigrations } = await parts;
  await exclusively(url, async () => {
    if (config.migrate) {
      const applied = await runMigrations(db);
      log.info(applied.length > 0 ? 'migrated the database' : 'the database is up to date', {
        applied: applied.length,
      });
    }
    if (!config.seedDemo || !(await isEmpty(db))) return;
    // The operator's import, not users' writes: no rate limit counts it, and nobody watches yet.
    const importing = await assembleApp({
      db,
      rateLimits: { ...config, postsPerMinute: 0, votesPerMinute: 0, signupsPerIpPerHour: 0 },
      sessionTtlSeconds: config.sessionTtlSeconds,
    });
    const questionId = await importDemoThread(db, importing.app.services, { password: config.demoPassword });
    await importing.close();
    log.info('imported the demo thread', { questionId });
  });
}

/** Runs `stop` once, on the first SIGINT or SIGTERM, then exits. */
function onSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void stop().then(() => {
      log.info('stopped');
      process.exit();
    });
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

/**
 * Forks `count` workers and forks again for any that dies, unless one dies before ever listening.
 * `listening` resolves with the port once every first worker listens.
 */
function superviseWorkers(
  count: number,
  env: Record<string, string>,
): { listening: Promise<number>; stop(): Promise<void> } {
  let stopping = false;
  const listened = new WeakSet<Worker>();
  let waiting = count;
  let ready: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (ready = resolve));
  const fork = () => {
    const worker = cluster.fork(env);
    worker.once('listening', (address) => {
      listened.add(worker);
      waiting -= 1;
      if (waiting === 0) ready(address.port);
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      if (!listened.has(worker)) {
        log.error('a worker exited before listening', { code, signal });
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
        return;
      }
      log.error('a worker exited; starting another', { code, signal });
      fork();
    });
  };
  // Workers run this file, whatever started the primary (npm start's scripts/start.js checks the build first).
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });
  for (let i = 0; i < count; i++) fork();
  return {
    listening,
    stop: async () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
      await Promise.all(
        workers.map((worker) => {
          const exited = new Promise((done) => worker.once('exit', done));
          worker.process.kill('SIGTERM');
          return exited;
        }),
      );
    },
  };
}

/** The primary: the database, its set-up, pruning, then the server or the workers. */
async function primary(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (url === undefined) {
    log.info('starting embedded PostgreSQL', { dataDir: config.dataDir });
    embedded = await startEmbeddedDatabase(config.dataDir);
    url = embedded.url;
    log.info('PostgreSQL is ready');
  }
  const clustered = config.workers > 1;
  // The primary of a cluster only imports, prunes and supervises: a small pool is plenty.
  const db = await open(url, clustered ? 2 : config.poolSize, false);
  await setUp(db, url);
  const { applyAdminUsernames, serveClusterLimits, serveClusterMetrics, startPruning } = await parts;
  const admins = await applyAdminUsernames(db, config.adminUsernames);
  if (admins > 0) log.info('made ADMIN_USERNAMES admins', { admins });
  const stopPruning = startPruning(db, config.eventRetentionSeconds, 3600, (error) =>
    log.error('pruning thread events failed', { error: String(error) }),
  );
  if (clustered && !redis) serveClusterLimits();
  // The workers' /metrics, and METRICS_PORT, show the sum of all workers.
  const clusterMetrics = clustered ? serveClusterMetrics() : undefined;
  const workers = clustered ? superviseWorkers(config.workers, { DATABASE_URL: url }) : undefined;
  // A single process serves; a cluster's primary serves nobody. Its events reach the other instances
  // on this database through Redis when given, else through PostgreSQL.
  const server = workers ? undefined : await serve(db, redis ?? { postgresUrl: url, onError: onPoolError }, redis);
  const closeMetrics = await metricsPort(clusterMetrics ?? (server as RunningApp).metrics.text);
  onSignal(async () => {
    stopPruning();
    await (workers ? workers.stop() : server?.close());
    await closeMetrics();
    await db.destroy();
    await embedded?.stop();
  });
  if (workers) {
    const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
    log.info('listening', { graphql: `http://${host}:${await workers.listening}/graphql`, workers: config.workers });
  }
}

/** A worker: the database is ready; events and counters are shared with the other workers. */
async function worker(): Promise<void> {
  const url = config.databaseUrl as string;
  const db = await open(url, config.poolSize, false);
  const server = await serve(db, redis ?? { postgresUrl: url, onError: onPoolError }, redis ?? 'cluster');
  onSignal(async () => {
    await server.close();
    await db.destroy();
  });
}

await (cluster.isPrimary ? primary() : worker()).catch((error: unknown) => fail(log, error, config.databaseUrl));
