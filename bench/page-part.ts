import { globalId, threadPageQuery, voteMutation } from './client.js';
import type { BenchContext } from './context.js';
import { prng, shape } from './dataset.js';
import {
  comparePages,
  drive,
  pageRequests,
  readEveryPage,
  type PageComparison,
  type PageRun,
  type Target,
} from './drive.js';
import type { Served } from './proc.js';

/**
 * The page cache under reads and writes on the same threads: anonymous pages of 20 threads, and
 * after every 100 of them a vote (UP or NONE) by one of the signed-in users on a post of one of
 * those threads. Gives the share of page reads served from the cache.
 */
async function mixedLoad(bench: BenchContext, service: Target) {
  const { db, dataset, tokens, databaseName, log } = bench;
  const { seconds, pageConnections, writers } = bench.settings;
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
  const run = await drive(service, databaseName, seconds, pageConnections, next);
  const { hits, misses } = run.pageCache;
  const hitRate = Math.round((hits / (hits + misses)) * 1000) / 10;
  log(
    `mixed (1 vote per 100 pages on 20 threads): ${run.requestsPerSecond} req/s, p99 ${run.p99} ms, hit rate ${hitRate}%`,
  );
  return { ...run, votes: Math.floor(sent / 101), hitRate };
}

const best = (list: PageRun[]) => list.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
/** The better run of each side, their ratios, and the median of the rounds' throughput ratios. */
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

/**
 * Thread page: service, service without its page cache, floor, twice; the better of the two runs of
 * each. Then the mixed load on the service.
 */
export async function measurePages(bench: BenchContext, floor: Served) {
  const { dataset, tokens, databaseName, log } = bench;
  const { seconds, warmupSeconds, pageConnections, signedInViewers } = bench.settings;
  const targets: Target[] = [
    {
      name: 'service',
      url: bench.service.url,
      pid: bench.service.pid,
      viewerHeaders: (id) => ({ authorization: `Bearer ${tokens.get(id)}` }),
    },
    { name: 'floor', url: floor.url, pid: floor.pid, viewerHeaders: (id) => ({ 'x-user-id': String(id) }) },
  ];
  const viewers = Array.from({ length: signedInViewers }, (_, i) => i + 1);
  const sameJson = await comparePages(targets[0], targets[1], viewers[0], 40);
  log(`service and floor answer ${sameJson.pages - sameJson.differ}/${sameJson.pages} pages alike`);
  const warming = performance.now();
  await readEveryPage(targets[0], dataset);
  log(`every page read once from the service in ${((performance.now() - warming) / 1000).toFixed(1)} s`);
  const uncached = await bench.startService({ PAGE_CACHE_BYTES: '0' });
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
      for (const mode of target.name === 'uncached' ? (['anonymous'] as const) : (['anonymous', 'signedIn'] as const)) {
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
  const mixed = await mixedLoad(bench, targets[0]);
  return {
    sameJson,
    page: {
      anonymous: compare(runs.service.anonymous, runs.floor.anonymous),
      anonymousUncached: compare(runs.uncached.anonymous, runs.floor.anonymous),
      signedIn: compare(runs.service.signedIn, runs.floor.signedIn),
    },
    mixed,
  };
}
