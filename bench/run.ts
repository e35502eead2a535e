import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../src/db/database.js';
import { findDrift } from '../src/db/consistency.js';
import { openDatabase } from '../src/db/data-source.js';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { globalId, gql, logIn, threadPageQuery, voteMutation } from './client.js';
import {
  comparePages,
  drive,
  pageRequests,
  readEveryPage,
  type PageComparison,
  type PageRun,
  type Target,
} from './drive.js';
import { loadDataset, prng, shape } from './dataset.js';
import { benchNode, processTree, spawnNode, type Served } from './proc.js';
import {
  runFanOut,
  type FanOutPlan,
  type FanOutResult,
  type FanOutVote,
  type Probe,
  type ProbeFigures,
} from './fanout.js';

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
      // As `npm start` runs it.
      [
        '--max-semi-space-size=32',
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
  /**
   * The page cache under reads and writes on the same threads: anonymous pages of 20 threads, and
   * after every 100 of them a vote (UP or NONE) by one of the signed-in users on a post of one of
   * those threads. Gives the share of page reads served from the cache.
   */
  const mixedLoad = async () => {
    const hot = Array.from({ length: 20 }, (_, i) => dataset.questionIds.first + i);
    const posts: Array<{ id: number; kind: 'answer' | 'reply' }> = await db.query(
      `SELECT id, kind FROM post WHERE question_id = ANY($1) AND author_id > $2 ORDER BY id`,
      [hot, writers],
    );
    const random = prng(shape.seed + 4);
    let sent = 0;
    const next = (): { body: string; headers: Record<string, string> } => {
      sent += 1;
      if (sent % 101 === 0) {
        const post = posts[Math.floor(random() * posts.length)];
        const value = random() < 0.5 ? 'UP' : 'NONE';
        return {
          body: JSON.stringify({
            query: voteMutation,
            variables: { input: { targetId: globalId(post.kind === 'answer' ? 'Answer' : 'Reply', post.id), value } },
          }),
          headers: { authorization: `Bearer ${tokens.get(1 + Math.floor(random() * writers))}` },
        };
      }
      const id = globalId('Question', hot[Math.floor(random() * hot.length)]);
      return { body: JSON.stringify({ query: threadPageQuery, variables: { id } }), headers: {} };
    };
    const run = await drive(targets[0], databaseName, seconds, pageConnections, next);
    const { hits, misses } = run.pageCache;
    const hitRate = Math.round((hits / (hits + misses)) * 1000) / 10;
    log(
      `mixed (1 vote per 100 pages on 20 threads): ${run.requestsPerSecond} req/s, p99 ${run.p99} ms, hit rate ${hitRate}%`,
    );
    return { ...run, votes: Math.floor(sent / 101), hitRate };
  };
  // Thread page: service, service without its page cache, floor, twice; the better of the two runs of each.
  const pageResults = await ifPart('page', async () => {
    const sameJson = await comparePages(targets[0], targets[1], viewers[0], 40);
    log(`service and floor answer ${sameJson.pages - sameJson.differ}/${sameJson.pages} pages alike`);
    const warming = performance.now();
    await readEveryPage(targets[0], dataset);
    log(`every page read once from the service in ${((performance.now() - warming) / 1000).toFixed(1)} s`);
    const uncached = await startService({ PAGE_CACHE_BYTES: '0' });
    const uncachedTarget: Target = { ...targets[0], name: 'uncached', url: uncached.url, pid: uncached.pid };
    const runs: Record<Target['name'], { anonymous: PageRun[]; signedIn: PageRun[] }> = {
      service: { anonymous: [], signedIn: [] },
      uncached: { anonymous: [], signedIn: [] },
      floor: { anonymous: [], signedIn: [] },
    };
    for (let round = 1; round <= 2; round += 1) {
      for (const target of [targets[0], uncachedTarget, targets[1]]) {
        await drive(target, databaseName, warmupSeconds, pageConnections, pageRequests(dataset, target, viewers));
        // Signed in, the page cache is not consulted: the service's run stands for both.
        for (const mode of target.name === 'uncached'
          ? (['anonymous'] as const)
          : (['anonymous', 'signedIn'] as const)) {
          const run = await drive(
            target,
            databaseName,
            seconds,
            pageConnections,
            pageRequests(dataset, target, mode === 'signedIn' ? viewers : []),
          );
          runs[target.name][mode].push(run);
          const busy = `${target.name} ${run.cpu.process} + postgres ${run.cpu.postgres} + bench ${run.cpu.driver} cores`;
          const cache = run.pageCache.hits + run.pageCache.misses > 0 ? `, ${run.pageCache.hits} hits` : '';
          log(
            `page ${target.name} ${mode} #${round}: ${run.requestsPerSecond} req/s, p99 ${run.p99} ms, ${run.errors} errors${cache}; ${busy}`,
          );
        }
      }
    }
    await uncached.stop();
    const best = (list: PageRun[]) => list.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    };
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const compare = (service: PageRun[], floor: PageRun[]): PageComparison => {
      const ours = best(service);
      const theirs = best(floor);
      return {
        service: ours,
        floor: theirs,
        throughputRatio: ratio(ours.requestsPerSecond, theirs.requestsPerSecond),
        p99Ratio: ratio(ours.p99, theirs.p99),
        medianThroughputRatio:
          Math.round(median(service.map((run, i) => run.requestsPerSecond / floor[i].requestsPerSecond)) * 100) / 100,
        runs: { service, floor },
      };
    };
    const mixed = await mixedLoad();
    return {
      sameJson,
      page: {
        anonymous: compare(runs.service.anonymous, runs.floor.anonymous),
        anonymousUncached: compare(runs.uncached.anonymous, runs.floor.anonymous),
        signedIn: compare(runs.service.signedIn, runs.floor.signedIn),
      },
      mixed,
    };
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

  /** The highest event-loop delay p99 of `pid`'s processes since the last read (bench/loop-delay.ts). */
  const loopDelayP99 = async (pid: number): Promise<number> => {
    const since = Date.now();
    const tree = processTree(pid);
    for (const member of tree) process.kill(member, 'SIGUSR2');
    const p99s: number[] = [];
    for (const member of tree) {
      for (let tries = 0; tries < 200; tries++) {
        const figures = await readFile(join(loopDelayDir, `${member}.json`), 'utf8')
          .then((text) => JSON.parse(text) as { at: number; p99Ms: number })
          .catch(() => undefined);
        if (figures && figures.at >= since) {
          p99s.push(figures.p99Ms);
          break;
        }
        await new Promise((wait) => setTimeout(wait, 10));
      }
    }
    return Math.max(...p99s);
  };
  /** Votes (UP, then NONE) on a post of an unwatched thread, and its uncached (signed-in) page. */
  const probeOf = async (pid: number, serviceUrl: string, questionId: number): Promise<Probe> => {
    const [post] = await threadPosts(questionId);
    const [{ token }] = await votesOn([{ thread: 0, postId: post.id, kind: post.kind }]);
    let up = false;
    return {
      vote: async () => {
        up = !up;
        const input = { targetId: globalId(typeOf[post.kind], post.id), value: up ? 'UP' : 'NONE' };
        await gql(serviceUrl, voteMutation, { input }, token);
      },
      page: async () => {
        await gql(serviceUrl, threadPageQuery, { id: globalId('Question', questionId + 1) }, token);
      },
      loopDelayP99: () => loopDelayP99(pid),
    };
  };

  // Each fan-out runs on a fresh service, so that its RSS before the watchers is a clean baseline.
  const fanOut = async (
    title: string,
    plan: Omit<FanOutPlan, 'graphqlUrl' | 'servicePid' | 'log' | 'probe'>,
    probeThread?: number,
  ) => {
    log(title);
    const fresh = await startService();
    try {
      const probe = probeThread === undefined ? undefined : await probeOf(fresh.pid, fresh.url, probeThread);
      const result = await runFanOut({ ...plan, graphqlUrl: fresh.url, servicePid: fresh.pid, log, probe });
      const { p50, p99 } = result.latencyMs;
      log(
        `  latency p50 ${p50} ms, p99 ${p99} ms; votes p99 ${result.votesMs.p99} ms; missed ${result.missed}, ${result.rssPerWatcherKiB} KiB/watcher`,
      );
      for (const [when, figures] of Object.entries({ idle: result.idle, during: result.during })) {
        if (!figures) continue;
        log(
          `  ${when}: event-loop delay p99 ${figures.loopDelayP99Ms} ms, unrelated votes p99 ${figures.votesP99Ms} ms (${figures.votes}), pages p99 ${figures.pagesP99Ms} ms (${figures.pages})`,
        );
      }
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
    const oneThread = await fanOut(
      'fan-out: 10,000 watchers on one thread, 20 votes',
      {
        threads: [globalId('Question', fanOutQuestion)],
        watchersPerThread: 10_000,
        ready: await votesOn([{ thread: 0, postId: fanOutQuestion, kind: 'question' }]),
        rounds: (await votesOn(oneThreadTargets)).map((vote) => [vote]),
      },
      1000,
    );
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
      servedNode,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
    },
    settings: { seconds, warmupSeconds, pageConnections, writeRate, writers, votedPosts, signedInViewers },
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

/** Prints rows as a table: the first column left-aligned, the others right-aligned. */
function printRows(rows: Array<Array<string | number>>): void {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\n${cells.map(line).join('\n')}`);
}

function printTable(r: {
  page?: Record<'anonymous' | 'anonymousUncached' | 'signedIn', PageComparison>;
  mixed?: PageRun & { hitRate: number; votes: number };
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
  const names = { anonymous: 'anonymous, cached', anonymousUncached: 'anonymous, cache off', signedIn: 'signed in' };
  for (const mode of r.page ? (['anonymous', 'anonymousUncached', 'signedIn'] as const) : []) {
    const { service, floor, throughputRatio, p99Ratio, medianThroughputRatio } = r.page![mode];
    const ratios = `req/s ${throughputRatio}× (median ${medianThroughputRatio}×), p99 ${p99Ratio}×`;
    rows.push(run(`page ${names[mode]}: service`, service, ratios));
    rows.push(run(`page ${names[mode]}: floor`, floor, ''));
  }
  if (r.mixed) rows.push(run('pages + 1% votes, cached', r.mixed, `hit rate ${r.mixed.hitRate}%`));
  if (r.search) rows.push(run('search (8 connections)', r.search, ''));
  if (r.writes) rows.push(run(`votes (${writeRate}/s offered)`, r.writes, `drift ${r.writes.drift}`));
  if (rows.length > 1) printRows(rows);
  const fan: Array<Array<string | number>> = [
    [
      'fan-out',
      'watchers',
      'votes',
      'p50 ms',
      'p99 ms',
      'max ms',
      'missed',
      'KiB/watcher',
      'bad sockets',
      'votes p99',
      'loop p99 idle → during',
      'other votes p99 idle → during',
      'other pages p99 idle → during',
    ],
  ];
  const idleDuring = (f: FanOutResult, figure: keyof ProbeFigures) =>
    f.idle && f.during ? `${f.idle[figure]} → ${f.during[figure]}` : '';
  for (const [name, f] of Object.entries(r.fanOut ?? {})) {
    const { p50, p99, max } = f.latencyMs;
    fan.push([
      name,
      f.watchers,
      f.votes,
      p50,
      p99,
      max,
      f.missed,
      f.rssPerWatcherKiB,
      f.socketFailures,
      f.votesMs.p99,
      idleDuring(f, 'loopDelayP99Ms'),
      idleDuring(f, 'votesP99Ms'),
      idleDuring(f, 'pagesP99Ms'),
    ]);
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
