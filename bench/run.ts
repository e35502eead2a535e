import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../src/db/database.js';
import { findDrift } from '../src/db/consistency.js';
import { openDatabase } from '../src/db/data-source.js';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { globalId, logIn, voteMutation } from './client.js';
import { comparePages, drive, pageRequests, type PageComparison, type PageRun, type Target } from './drive.js';
import { loadDataset, prng, shape } from './dataset.js';
import { spawnNode, type Served } from './proc.js';
import { runFanOut, type FanOutPlan, type FanOutResult, type FanOutVote } from './fanout.js';

/**
 * `npm run bench`: the thread page and the fan-out of live scores, on a synthetic forum, against
 * the service built in dist/ and against a floor (bench/floor.ts). Writes bench/results/latest.json.
 * BENCH_DATABASE_URL: use that PostgreSQL instead of an embedded one (a database is made and dropped).
 * BENCH_SECONDS / BENCH_WARMUP_SECONDS shorten the timed runs (default 20 and 5) for a quick try.
 * BENCH_ONLY: a comma-separated subset of page, search, fanout, writes (default: all four).
 * BENCH_SERVICE_NODE_ARGS: more options for the service's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
 * BENCH_WORKERS: the service's WORKERS (default: one per CPU but one, left to PostgreSQL and the load generator).
 * BENCH_WRITE_RATE: votes per second offered in the writes part (default 1000, the target).
 * BENCH_DB_POOL_SIZE: the service's DB_POOL_SIZE (default 4: PostgreSQL shares the machine's two cores).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const pageConnections = 32;
const writeRate = Number(process.env.BENCH_WRITE_RATE ?? 1_000);
const writers = 1_000;
const votedPosts = 100;
const signedInViewers = 16;
// PostgreSQL and the load generator run on this machine too: the service gets the cores they leave.
// On 2 cores one worker against two: a lower p99 everywhere for 7–13% fewer pages (docs/performance.md).
const workers = Number(process.env.BENCH_WORKERS ?? Math.max(1, cpus().length - 1));
// More connections than PostgreSQL has cores to run them only queue inside it: 4 per pool per worker
// measured a lower p99 than 10 (and than 2) on this 2-core machine.
const poolSize = process.env.BENCH_DB_POOL_SIZE ?? '4';
const parts = ['page', 'search', 'fanout', 'writes'] as const;
const only = new Set((process.env.BENCH_ONLY ?? parts.join(',')).split(',').map((part) => part.trim()));
for (const part of only) {
  if (!parts.includes(part as (typeof parts)[number])) throw new Error(`BENCH_ONLY: unknown part ${part}`);
}
/** Runs a part of the bench when BENCH_ONLY names it. */
const ifPart = <T>(part: (typeof parts)[number], run: () => Promise<T>): Promise<T | undefined> =>
  only.has(part) ? run() : Promise.resolve(undefined);

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
    `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(1)}; service workers ${workers}, pools of ${poolSize}; timed runs ${warmupSeconds} s + ${seconds} s`,
  );
  const url = await createDatabase();
  const db: Database = await openDatabase({ url });
  cleanups.push(() => db.destroy());
  log('loading the dataset');
  const dataset = await loadDataset(db, log);
  const loadDrift = await findDrift(db);
  if (loadDrift.length > 0) throw new Error(`the dataset drifts: ${JSON.stringify(loadDrift.slice(0, 5))}`);

  // What the service and the floor print: at LOG_LEVEL=error, only errors.
  const serviceOutput: string[] = [];
  const floorOutput: string[] = [];
  const env = { DATABASE_URL: url };
  const startService = async (): Promise<Served> => {
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
      },
      serviceOutput,
      cleanups,
      log,
      // As `npm start` runs it.
      ['--max-semi-space-size=32', ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    );
    return { ...served, url: `${served.url}/graphql` };
  };
  const service = await startService();
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

  const targets: Target[] = [
    {
      name: 'service',
      url: service.url,
      pid: service.pid,
      viewerHeaders: (id) => ({ authorization: `Bearer ${tokens.get(id)}` }),
    },
    { name: 'floor', url: floor.url, pid: floor.pid, viewerHeaders: (id) => ({ 'x-user-id': String(id) }) },
  ];
  const viewers = Array.from({ length: signedInViewers }, (_, i) => i + 1);
  // Thread page: service, floor, service, floor; the better of the two runs of each.
  const pageResults = await ifPart('page', async () => {
    const sameJson = await comparePages(targets[0], targets[1], viewers[0], 40);
    log(`service and floor answer ${sameJson.pages - sameJson.differ}/${sameJson.pages} pages alike`);
    const runs: Record<string, { anonymous: PageRun[]; signedIn: PageRun[] }> = {
      service: { anonymous: [], signedIn: [] },
      floor: { anonymous: [], signedIn: [] },
    };
    for (let round = 1; round <= 2; round += 1) {
      for (const target of targets) {
        await drive(target, databaseName, warmupSeconds, pageConnections, pageRequests(dataset, target, viewers));
        for (const mode of ['anonymous', 'signedIn'] as const) {
          const run = await drive(
            target,
            databaseName,
            seconds,
            pageConnections,
            pageRequests(dataset, target, mode === 'signedIn' ? viewers : []),
          );
          runs[target.name][mode].push(run);
          const busy = `${target.name} ${run.cpu.process} + postgres ${run.cpu.postgres} + bench ${run.cpu.driver} cores`;
          log(
            `page ${target.name} ${mode} #${round}: ${run.requestsPerSecond} req/s, p99 ${run.p99} ms, ${run.errors} errors; ${busy}`,
          );
        }
      }
    }
    const best = (list: PageRun[]) => list.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const compare = (mode: 'anonymous' | 'signedIn'): PageComparison => {
      const ours = best(runs.service[mode]);
      const theirs = best(runs.floor[mode]);
      return {
        service: ours,
        floor: theirs,
        throughputRatio: Math.round((ours.requestsPerSecond / theirs.requestsPerSecond) * 100) / 100,
        p99Ratio: Math.round((ours.p99 / theirs.p99) * 100) / 100,
        runs: { service: runs.service[mode], floor: runs.floor[mode] },
      };
    };
    return { sameJson, page: { anonymous: compare('anonymous'), signedIn: compare('signedIn') } };
  });

  // Search: French full text over every post, accents and stems included, a few words at a time.
  const search = await ifPart('search', async () => {
    const terms = [
      'economie',
      'énergie solidaire',
      'coopératives',
      '"monnaie locale"',
      'logement -banque',
      'vélo or musique',
    ];
    const pickTerm = prng(shape.seed + 3);
    const searchRequest = () => ({
      body: JSON.stringify({
        query: 'query ($q: String!) { search(query: $q, first: 10) { edges { snippet node { id score } } } }',
        variables: { q: terms[Math.floor(pickTerm() * terms.length)] },
      }),
      headers: {},
    });
    await drive(service, databaseName, warmupSeconds, 8, searchRequest);
    const run = await drive(service, databaseName, Math.max(5, seconds / 2), 8, searchRequest);
    log(`search: ${run.requestsPerSecond} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.errors} errors`);
    return run;
  });

  // Fan-out: voters are signed-in users who have not voted on the target and did not write it.
  const pickVoters = async (postIds: number[]): Promise<number[]> => {
    const taken = new Set<number>();
    const chosen: number[] = [];
    for (const postId of postIds) {
      const rows: Array<{ user: number }> = await db.query(
        `SELECT u AS "user" FROM generate_series(1, $2::integer) u
          WHERE u <> (SELECT author_id FROM post WHERE id = $1)
            AND NOT EXISTS (SELECT 1 FROM vote WHERE post_id = $1 AND user_id = u) ORDER BY u`,
        [postId, writers],
      );
      const user = rows.map((row) => row.user).find((u) => !taken.has(u))!;
      taken.add(user);
      chosen.push(user);
    }
    return chosen;
  };
  const threadPosts = async (questionId: number) => {
    const rows: Array<{ id: number; kind: 'answer' | 'reply' }> = await db.query(
      `SELECT id, kind FROM post WHERE question_id = $1 ORDER BY kind, id`,
      [questionId],
    );
    return rows;
  };
  const typeOf = { question: 'Question', answer: 'Answer', reply: 'Reply' } as const;
  const votesOn = async (targets: Array<{ thread: number; postId: number; kind: keyof typeof typeOf }>) => {
    const voters = await pickVoters(targets.map((t) => t.postId));
    return targets.map((t, i): FanOutVote => ({
      thread: t.thread,
      targetId: globalId(typeOf[t.kind], t.postId),
      token: tokens.get(voters[i])!,
    }));
  };

  // Each fan-out runs on a fresh service, so that its RSS before the watchers is a clean baseline.
  const fanOut = async (title: string, plan: Omit<FanOutPlan, 'graphqlUrl' | 'servicePid' | 'log'>) => {
    log(title);
    const fresh = await startService();
    try {
      const result = await runFanOut({ ...plan, graphqlUrl: fresh.url, servicePid: fresh.pid, log });
      const { p50, p99 } = result.latencyMs;
      log(`  latency p50 ${p50} ms, p99 ${p99} ms; missed ${result.missed}, ${result.rssPerWatcherKiB} KiB/watcher`);
      return result;
    } finally {
      await fresh.stop();
    }
  };
  const fanOutResults = await ifPart('fanout', async () => {
    const fanOutQuestion = 1;
    const posts1 = await threadPosts(fanOutQuestion);
    const oneThreadTargets = [...posts1.filter((p) => p.kind === 'answer'), ...posts1.filter((p) => p.kind === 'reply')]
      .slice(0, 20)
      .map((p) => ({ thread: 0, postId: p.id, kind: p.kind }));
    const oneThread = await fanOut('fan-out: 10,000 watchers on one thread, 20 votes', {
      threads: [globalId('Question', fanOutQuestion)],
      watchersPerThread: 10_000,
      ready: await votesOn([{ thread: 0, postId: fanOutQuestion, kind: 'question' }]),
      rounds: (await votesOn(oneThreadTargets)).map((vote) => [vote]),
    });
    const tenThreads = Array.from({ length: 10 }, (_, i) => fanOutQuestion + 1 + i);
    const firstAnswers = await Promise.all(tenThreads.map(async (q) => (await threadPosts(q))[0]));
    const manyThreads = await fanOut('fan-out: 1,000 watchers on each of 10 threads, one vote each', {
      threads: tenThreads.map((q) => globalId('Question', q)),
      watchersPerThread: 1_000,
      ready: await votesOn(tenThreads.map((q, thread) => ({ thread, postId: q, kind: 'question' }))),
      rounds: [await votesOn(firstAnswers.map((p, thread) => ({ thread, postId: p.id, kind: p.kind })))],
    });
    return { oneThread, manyThreads };
  });

  // Writes: 1,000 votes/s offered on 100 posts by 1,000 signed-in users (none of them an author).
  const writes = await ifPart('writes', async () => {
    const targetsRows: Array<{ id: number; kind: keyof typeof typeOf }> = await db.query(
      `SELECT id, kind FROM post WHERE author_id > $1 ORDER BY md5(id::text) LIMIT $2`,
      [writers, votedPosts],
    );
    const targetIds = targetsRows.map((row) => globalId(typeOf[row.kind], row.id));
    const random = prng(shape.seed + 2);
    const values = ['UP', 'DOWN', 'NONE'];
    const voteRequest = () => ({
      body: JSON.stringify({
        query: voteMutation,
        variables: {
          input: {
            targetId: targetIds[Math.floor(random() * targetIds.length)],
            value: values[Math.floor(random() * values.length)],
          },
        },
      }),
      headers: { authorization: `Bearer ${tokens.get(1 + Math.floor(random() * writers))}` },
    });
    log(`writes: ${writeRate} votes/s offered for ${warmupSeconds} s + ${seconds} s`);
    // Warmed up as the pages are: the vote path's first second (compiling, reading 1,000 sessions) is not its rate.
    await drive(service, databaseName, warmupSeconds, 100, voteRequest, writeRate);
    const writeOutputBefore = serviceOutput.length;
    const writeRun = await drive(service, databaseName, seconds, 100, voteRequest, writeRate);
    const writeDrift = await findDrift(db);
    log(
      `  ${writeRun.requestsPerSecond} votes/s, p99 ${writeRun.p99} ms, ${writeRun.errors} errors, drift ${writeDrift.length}; ` +
        `service ${writeRun.cpu.process} + postgres ${writeRun.cpu.postgres} + bench ${writeRun.cpu.driver} cores`,
    );

    return {
      offeredPerSecond: writeRate,
      ...writeRun,
      drift: writeDrift.length,
      driftExamples: writeDrift.slice(0, 10),
      serviceOutput: serviceOutput.slice(writeOutputBefore, writeOutputBefore + 5),
    };
  });

  const results = {
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      workers,
      poolSize,
      node: process.version,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
    },
    settings: { seconds, warmupSeconds, pageConnections, writeRate, writers, votedPosts, signedInViewers },
    dataset: { ...shape, votes: dataset.votes, loadSeconds: Math.round(dataset.seconds * 10) / 10 },
    logIn: { users: tokens.size, seconds: Math.round(logInSeconds * 10) / 10 },
    parts: [...only],
    sameJson: pageResults?.sameJson,
    page: pageResults?.page,
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

/** Prints rows as a table: the first column left-aligned, the others right-aligned. */
function printRows(rows: Array<Array<string | number>>): void {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\n${cells.map(line).join('\n')}`);
}

function printTable(r: {
  page?: Record<'anonymous' | 'signedIn', PageComparison>;
  search?: PageRun;
  fanOut?: Record<'oneThread' | 'manyThreads', FanOutResult>;
  writes?: PageRun & { drift: number };
  dataset: { loadSeconds: number };
  totalSeconds: number;
}): void {
  const run = (name: string, x: PageRun, note: string) => [
    name,
    x.requestsPerSecond,
    x.p50,
    x.p99,
    x.errors,
    `${x.cpu.process} + ${x.cpu.postgres} + ${x.cpu.driver}`,
    note,
  ];
  const rows: Array<Array<string | number>> = [
    ['', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'cores (node + pg + bench)', 'service / floor'],
  ];
  for (const mode of r.page ? (['anonymous', 'signedIn'] as const) : []) {
    const { service, floor, throughputRatio, p99Ratio } = r.page![mode];
    rows.push(run(`page ${mode}: service`, service, `req/s ${throughputRatio}×, p99 ${p99Ratio}×`));
    rows.push(run(`page ${mode}: floor`, floor, ''));
  }
  if (r.search) rows.push(run('search (8 connections)', r.search, ''));
  if (r.writes) rows.push(run(`votes (${writeRate}/s offered)`, r.writes, `drift ${r.writes.drift}`));
  if (rows.length > 1) printRows(rows);
  const fan: Array<Array<string | number>> = [
    ['fan-out', 'watchers', 'votes', 'p50 ms', 'p99 ms', 'max ms', 'missed', 'KiB/watcher', 'bad sockets'],
  ];
  for (const [name, f] of Object.entries(r.fanOut ?? {})) {
    const { p50, p99, max } = f.latencyMs;
    fan.push([name, f.watchers, f.votes, p50, p99, max, f.missed, f.rssPerWatcherKiB, f.socketFailures]);
  }
  if (fan.length > 1) printRows(fan);
  console.log(`\nload ${r.dataset.loadSeconds} s, total ${r.totalSeconds} s; details in bench/results/latest.json`);
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
