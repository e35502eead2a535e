import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../src/db/database.js';
import { findDrift } from '../src/db/consistency.js';
import { openDatabase } from '../src/db/data-source.js';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { logIn } from './client.js';
import type { BenchContext, Settings } from './context.js';
import { loadDataset, shape } from './dataset.js';
import { measureFanOut } from './fanout-part.js';
import { measurePages } from './page-part.js';
import { benchNode, spawnNode, type Served } from './proc.js';
import { printTable } from './report.js';
import { measureSearch } from './search-part.js';
import { measureWrites } from './writes-part.js';

/**
 * `npm run bench`: the thread page and the fan-out of live scores, on a synthetic forum, against
 * the service built in dist/ and against a floor (bench/floor.ts). Writes bench/results/latest.json.
 * BENCH_DATABASE_URL: use that PostgreSQL instead of an embedded one (a database is made and dropped).
 * BENCH_SECONDS / BENCH_WARMUP_SECONDS shorten the timed runs (default 20 and 5) for a quick try.
 * BENCH_ONLY: a comma-separated subset of page, search, fanout, writes (default: all four).
 * BENCH_NODE: the node binary that runs the service and the floor (default: the bench's own).
 * BENCH_SERVICE_NODE_ARGS: more options for the service's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 * BENCH_WORKERS: the service's WORKERS (default: one per CPU but one, left to PostgreSQL and the load generator).
 * BENCH_WRITE_RATE: votes per second offered in the writes part (default 1000, the target).
 * BENCH_DB_POOL_SIZE: the service's DB_POOL_SIZE (default 4: PostgreSQL shares the machine's two cores).
 * BENCH_PAGE_CACHE_BYTES: the service's PAGE_CACHE_BYTES (default 128 MiB: the dataset's 2,000 pages
 *   take about 89 MB, more than the service's 64 MiB default, and an operator sizes it to the threads read).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const pageConnections = 32;
const pageCacheBytes = process.env.BENCH_PAGE_CACHE_BYTES ?? String(128 * 2 ** 20);
const writeRate = Number(process.env.BENCH_WRITE_RATE ?? 1_000);
const writers = 1_000;
const votedPosts = 100;
const signedInViewers = 16;
const settings: Settings = { seconds, warmupSeconds, pageConnections, writeRate, writers, votedPosts, signedInViewers };
// PostgreSQL and the load generator run on this machine too: the service gets the cores they leave.
// On 2 cores one worker against two: a lower p99 everywhere for 7–13% fewer pages (docs/performance.md).
const workers = Number(process.env.BENCH_WORKERS ?? Math.max(1, cpus().length - 1));
// More connections than PostgreSQL has cores to run them only queue inside it: 4 per pool per worker
// measured a lower p99 than 10 (and than 2) on this 2-core machine.
const poolSize = process.env.BENCH_DB_POOL_SIZE ?? '4';
/** The node options `npm start` runs the service with (package.json), so that the bench runs it as deployed. */
async function startOptions(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  return manifest.scripts.start.split(' ').filter((word) => word.startsWith('--'));
}

const parts = ['page', 'search', 'fanout', 'writes'] as const;
const only = new Set((process.env.BENCH_ONLY ?? parts.join(',')).split(',').map((part) => part.trim()));
for (const part of only) {
  if (!parts.includes(part as (typeof parts)[number])) throw new Error(`BENCH_ONLY: unknown part ${part}`);
}
/** Runs a part of the bench when BENCH_ONLY names it. */
const ifPart = <T>(part: (typeof parts)[number], run: () => Promise<T>): Promise<T | undefined> =>
  only.has(part) ? run() : Promise.resolve(undefined);

/** The version of the node that runs the service and the floor. */
const servedNode = execFileSync(benchNode, ['--version'], { encoding: 'utf8' }).trim();

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);

/** Everything to undo, last first, whether the run succeeds or not. */
const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | undefined;
/** Undoes everything, once: a signal and the end of the run share the same cleanup. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch((error) => console.error('cleanup:', error));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

/** The bench's database; the titles of its PostgreSQL backends name it. */
const databaseName = `thread_bench_${Date.now()}`;

/** A fresh database: on BENCH_DATABASE_URL, or on an embedded PostgreSQL in a temporary folder. */
async function createDatabase(): Promise<string> {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'thread-bench-pg-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
    await chmod(dataDir, 0o755);
    const server = await startEmbeddedDatabase(dataDir);
    cleanups.push(() => server.stop());
    adminUrl = server.url;
  }
  const name = databaseName;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  cleanups.push(() => admin(`DROP DATABASE ${name} WITH (FORCE)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<void> {
  const loadAverageAtStart = loadavg();
  log(
    `node ${process.version} (service and floor ${servedNode}), ${cpus().length} CPUs, load ${loadavg()[0].toFixed(1)}; service workers ${workers}, pools of ${poolSize}, page cache ${pageCacheBytes} bytes; timed runs ${warmupSeconds} s + ${seconds} s`,
  );
  const url = await createDatabase();
  // No statement timeout: loading the dataset on a busy machine may take longer than a request may.
  const db: Database = await openDatabase({ url, statementTimeoutMs: 0 });
  cleanups.push(() => db.destroy());
  log('loading the dataset');
  const dataset = await loadDataset(db, log);
  const loadDrift = await findDrift(db);
  if (loadDrift.length > 0) throw new Error(`the dataset drifts: ${JSON.stringify(loadDrift.slice(0, 5))}`);

  // What the service and the floor print: at LOG_LEVEL=error, only errors.
  const serviceOutput: string[] = [];
  const floorOutput: string[] = [];
  const env = { DATABASE_URL: url };
  // Where the service's processes write their event-loop delay (bench/loop-delay.ts).
  const loopDelayDir = await mkdtemp(join(tmpdir(), 'thread-bench-loop-'));
  cleanups.push(() => rm(loopDelayDir, { recursive: true, force: true }));
  const startService = async (extraEnv: Record<string, string> = {}): Promise<Served> => {
    const served = await spawnNode(
      new URL('../src/main.js', import.meta.url).pathname,
      // One address drives the whole load: its query-cost budget is turned off.
      {
        ...env,
        SEED_DEMO: 'false',
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        QUERY_COST_PER_MINUTE: '0',
        WORKERS: String(workers),
        DB_POOL_SIZE: poolSize,
        BENCH_LOOP_DELAY_DIR: loopDelayDir,
        ...extraEnv,
      },
      serviceOutput,
      cleanups,
      log,
      [
        ...(await startOptions()),
        `--import=${new URL('./loop-delay.js', import.meta.url).pathname}`,
        ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ],
    );
    return { ...served, url: `${served.url}/graphql` };
  };
  const service = await startService({ PAGE_CACHE_BYTES: pageCacheBytes });
  const floor = await spawnNode(new URL('./floor.js', import.meta.url).pathname, env, floorOutput, cleanups, log);
  log(`service ${service.url} (pid ${service.pid}), floor ${floor.url}`);

  const loggingIn = performance.now();
  const tokens = await logIn(
    service.url,
    Array.from({ length: writers }, (_, i) => i + 1),
    16,
  );
  const logInSeconds = (performance.now() - loggingIn) / 1000;
  log(`${tokens.size} users signed in in ${logInSeconds.toFixed(1)} s`);

  const bench: BenchContext = {
    settings,
    db,
    dataset,
    databaseName,
    tokens,
    service,
    startService,
    serviceOutput,
    loopDelayDir,
    log,
  };
  const pageResults = await ifPart('page', () => measurePages(bench, floor));
  const search = await ifPart('search', () => measureSearch(bench));
  const fanOutResults = await ifPart('fanout', () => measureFanOut(bench));
  const writes = await ifPart('writes', () => measureWrites(bench));

  const results = {
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      workers,
      poolSize,
      node: process.version,
      servedNode,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
    },
    settings,
    dataset: { ...shape, votes: dataset.votes, loadSeconds: Math.round(dataset.seconds * 10) / 10 },
    logIn: { users: tokens.size, seconds: Math.round(logInSeconds * 10) / 10 },
    parts: [...only],
    sameJson: pageResults?.sameJson,
    page: pageResults?.page,
    mixed: pageResults?.mixed,
    search,
    fanOut: fanOutResults,
    writes,
    serviceOutput: { lines: serviceOutput.length, first: serviceOutput.slice(0, 5) },
    floorOutput: { lines: floorOutput.length, first: floorOutput.slice(0, 5) },
    totalSeconds: Math.round((performance.now() - started) / 1000),
  };
  const folder = new URL('../../bench/results/', import.meta.url);
  await mkdir(folder, { recursive: true });
  await writeFile(new URL('latest.json', folder), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(process.exitCode ?? 0);
