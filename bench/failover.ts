import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { resumingClient } from '../src/client/resume.js';
import { ThreadEventsDocument } from '../schema/trusted-documents/graphql.js';
import { startNginx } from '../test/support/nginx.js';
import { spawnNode, type Served } from './proc.js';

/**
 * `npm run bench:failover`: the instance-loss run of test/failover.test.ts at scale. Three instances
 * sharing Redis behind nginx; BENCH_WATCHERS watchers (default 1,000) resume through nginx while
 * BENCH_VOTE_RATE votes per second (default 50) flow; one instance is killed with SIGKILL. Reports
 * the time from the kill to each of its watchers reconnected (p50, p99, last) and the events each
 * watcher lost or got twice against an outbox replay.
 * BENCH_DATABASE_URL: the PostgreSQL to make the database in (default the local one);
 * REDIS_URL: the Redis (default redis://127.0.0.1:6379).
 */
const watcherCount = Number(process.env.BENCH_WATCHERS ?? 1_000);
const voteRate = Number(process.env.BENCH_VOTE_RATE ?? 50);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const started = performance.now();
const log = (line: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const cleanups: Array<() => Promise<unknown>> = [];
const pause = (ms: number) => new Promise<void>((tick) => setTimeout(tick, ms));

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

async function post<T>(url: string, query: string, variables: object, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors !== undefined) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const signUpMutation = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';
const voteMutation =
  'mutation($id: ID!, $value: VoteValue!) { vote(input: { targetId: $id, value: $value }) { score } }';

interface Watcher {
  cursors: string[];
  connectedAt: number[];
}

/** Percentile `p` of sorted `values`. */
const percentile = (values: number[], p: number) => values[Math.min(values.length - 1, Math.floor(values.length * p))];

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  const name = `thread_failover_${Date.now()}`;
  await admin(`CREATE DATABASE ${name}`);
  cleanups.push(() => admin(`DROP DATABASE ${name} WITH (FORCE)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL: redisUrl,
    RATE_LIMIT_PREFIX: `failover-${randomBytes(4).toString('hex')}`,
    SEED_DEMO: 'false',
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    VOTES_PER_MINUTE: '100000',
    QUERY_COST_PER_MINUTE: '0',
    // The bench signs its watchers and voter up from one address.
    SIGNUPS_PER_IP_PER_HOUR: '0',
  };
  const output: string[] = [];
  const start = () => spawnNode(new URL('../src/main.js', import.meta.url).pathname, env, output, cleanups, log);
  // The first one migrates; the others then start on the ready database together.
  const instances: Served[] = [await start()];
  instances.push(...(await Promise.all([start(), start()])));
  const nginx = await startNginx(instances.map((instance) => Number(new URL(instance.url).port)));
  cleanups.push(() => nginx.close());
  const graphql = `${nginx.url}/graphql`;
  log(`3 instances behind nginx at ${nginx.url}; load ${loadAtStart.toFixed(1)}`);

  const suffix = randomBytes(3).toString('hex');
  const signUp = (username: string) =>
    post<{ signUp: { token: string } }>(graphql, signUpMutation, {
      input: { username, displayName: username, password: 'password123' },
    }).then(({ signUp }) => signUp.token);
  const asker = await signUp(`asker_${suffix}`);
  const { askQuestion } = await post<{ askQuestion: { id: string } }>(
    graphql,
    'mutation($input: AskQuestionInput!) { askQuestion(input: $input) { id } }',
    { input: { title: 'Que se passe-t-il quand un serveur tombe ?', body: 'Bonjour', tags: ['reseau'] } },
    asker,
  );
  const questionId = askQuestion.id;
  const cursorNow = () =>
    post<{ question: { eventCursor: string } }>(graphql, 'query($id: ID!) { question(id: $id) { eventCursor } }', {
      id: questionId,
    }).then(({ question }) => question.eventCursor);
  const eventCursor = await cursorNow();
  const voters = await Promise.all(Array.from({ length: 20 }, (_, i) => signUp(`voter_${suffix}_${i}`)));

  log(`${watcherCount} watchers connecting through nginx`);
  const watchers: Watcher[] = [];
  const disposals: Array<() => Promise<void>> = [];
  for (let i = 0; i < watcherCount; i++) {
    const watcher: Watcher = { cursors: [], connectedAt: [] };
    watchers.push(watcher);
    const client = resumingClient(
      createClient({
        url: graphql.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: Infinity,
        shouldRetry: () => true,
        retryWait: () => pause(100 + Math.random() * 900),
        on: { connected: () => void watcher.connectedAt.push(performance.now()) },
      }),
    );
    client.subscribe<{ threadEvents: { cursor: string } }>(
      { query: print(ThreadEventsDocument), variables: { questionId, after: eventCursor } },
      {
        next: ({ data }) => void (data && watcher.cursors.push(data.threadEvents.cursor)),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    disposals.push(async () => await client.dispose());
    if (i % 50 === 49) await pause(50);
  }
  cleanups.push(() => Promise.all(disposals.map((dispose) => dispose())));
  const connectedBy = performance.now() + 120_000;
  while (watchers.some((watcher) => watcher.connectedAt.length === 0) && performance.now() < connectedBy)
    await pause(200);
  log(`${watchers.filter((watcher) => watcher.connectedAt.length > 0).length} watchers connected`);

  let voting = true;
  let votes = 0;
  let failedVotes = 0;
  const inFlight = new Set<Promise<void>>();
  const votingDone = (async () => {
    for (let i = 0; voting; i++) {
      const vote = post(
        graphql,
        voteMutation,
        {
          id: questionId,
          value: Math.floor(i / voters.length) % 2 === 0 ? 'UP' : 'DOWN',
        },
        voters[i % voters.length],
      ).then(
        () => void (votes += 1),
        () => void (failedVotes += 1),
      );
      inFlight.add(vote);
      void vote.finally(() => inFlight.delete(vote));
      await pause(1000 / voteRate);
    }
    await Promise.all(inFlight);
  })();

  await pause(10_000);
  const connectionsBefore = watchers.map((watcher) => watcher.connectedAt.length);
  const killedAt = performance.now();
  process.kill(instances[1].pid, 'SIGKILL');
  log(`killed instance ${instances[1].url} with ${votes} votes made`);
  await pause(20_000);
  voting = false;
  await votingDone;
  const last = await cursorNow();

  const replayed: string[] = [];
  const replayer = createClient({
    url: `${instances[0].url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
  });
  replayer.subscribe<{ threadEvents: { cursor: string } }>(
    { query: print(ThreadEventsDocument), variables: { questionId, after: eventCursor } },
    {
      next: ({ data }) => void (data && replayed.push(data.threadEvents.cursor)),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  const settledBy = performance.now() + 180_000;
  while (
    (replayed.at(-1) !== last || watchers.some((watcher) => watcher.cursors.at(-1) !== last)) &&
    performance.now() < settledBy
  )
    await pause(200);
  const settled = replayed.at(-1) === last && watchers.every((watcher) => watcher.cursors.at(-1) === last);
  await pause(1000);
  await replayer.dispose();
  if (!settled) {
    // Counting now would call late events lost: the figures mean nothing.
    log(`not settled within 180 s after the votes: the machine could not deliver in time; no figures`);
    process.exitCode = 1;
    return;
  }

  const affected = watchers.filter((watcher, i) => watcher.connectedAt.length > connectionsBefore[i]);
  const resumedMs = affected
    .map((watcher) => watcher.connectedAt.find((at) => at > killedAt)! - killedAt)
    .sort((a, b) => a - b);
  const expected = new Set(replayed);
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const watcher of watchers) {
    const seen = new Set(watcher.cursors);
    lost += [...expected].filter((cursor) => !seen.has(cursor)).length;
    duplicated += watcher.cursors.length - seen.size;
    if (seen.size === watcher.cursors.length && watcher.cursors.join() !== replayed.join()) outOfOrder += 1;
  }
  const round = (ms: number | undefined) => (ms === undefined ? '-' : Math.round(ms));
  log(
    `events ${replayed.length}, votes ${votes} made + ${failedVotes} failed; watchers ${watchers.length}, ` +
      `on the killed instance ${affected.length}; kill → reconnected p50 ${round(percentile(resumedMs, 0.5))} ms, ` +
      `p99 ${round(percentile(resumedMs, 0.99))} ms, last ${round(resumedMs.at(-1))} ms; ` +
      `events lost ${lost}, duplicated ${duplicated}, watchers out of order ${outOfOrder}; ` +
      `load ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`,
  );
  if (lost + duplicated + outOfOrder > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  while (cleanups.length > 0) await cleanups.pop()!().catch((error) => console.error('cleanup:', error));
}
process.exit(process.exitCode ?? 0);
