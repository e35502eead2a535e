import { request } from 'node:http';
import autocannon from 'autocannon';
import { errorCodes, globalId, threadPageQuery } from './client.js';
import { prng, shape, type Dataset } from './dataset.js';
import { measureCpu, type CpuUse } from './proc.js';

/** One timed run of autocannon. Latencies in ms. */
export interface PageRun {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  errorCodes: Record<string, number>;
  /** Cores busy during the run: the process driven, and the database's backends. */
  cpu: CpuUse;
  /** Answers by their `x-page-cache` header: served from the page cache, or computed and kept. */
  pageCache: { hits: number; misses: number };
}

/** The service's best run against the floor's, for one kind of viewer. */
export interface PageComparison {
  service: PageRun;
  floor: PageRun;
  /** Service req/s over floor req/s. */
  throughputRatio: number;
  /** Service p99 over floor p99. */
  p99Ratio: number;
  /** The median over the rounds of the service's req/s over the floor's in the same round. */
  medianThroughputRatio: number;
  runs: { service: PageRun[]; floor: PageRun[] };
}

/**
 * Drives `target` with autocannon for `duration` seconds, every request built by `next()`; counts
 * GraphQL errors by code, and measures the CPU of the target and of the database's backends.
 */
export async function drive(
  target: { url: string; pid: number },
  databaseName: string,
  duration: number,
  connections: number,
  next: () => { body: string; headers: Record<string, string> },
  overallRate?: number,
): Promise<PageRun> {
  const cpu = measureCpu(target.pid, databaseName);
  const codes: Record<string, number> = {};
  const count = (code: string) => (codes[code] = (codes[code] ?? 0) + 1);
  const pageCache = { hits: 0, misses: 0 };
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    connections,
    duration,
    overallRate,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          const { body, headers } = next();
          return { ...request, body, headers: { ...request.headers, ...headers } };
        },
        onResponse: (status, body, _context, headers) => {
          if (headers?.['x-page-cache'] === 'hit') pageCache.hits += 1;
          else if (headers?.['x-page-cache'] === 'miss') pageCache.misses += 1;
          if (status !== 200) count(`HTTP_${status}`);
          for (const code of errorCodes(body)) count(code);
          if (body.includes('"question":null')) count('NULL_QUESTION');
        },
      },
    ],
  });
  if (result.errors > 0) codes.SOCKET = result.errors;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: Object.values(codes).reduce((sum, n) => sum + n, 0),
    errorCodes: codes,
    cpu: cpu(),
    pageCache,
  };
}

/** Where the thread page is served, and how a signed-in viewer is told to it. */
export interface Target {
  name: 'service' | 'uncached' | 'floor';
  url: string;
  pid: number;
  viewerHeaders: (userId: number) => Record<string, string>;
}

/** A request for a random thread page (ids from a seeded PRNG: both targets see the same sequence). */
export function pageRequests(dataset: Dataset, target: Target, viewers: readonly number[]) {
  const random = prng(shape.seed + 1);
  const { first, last } = dataset.questionIds;
  return () => {
    const id = globalId('Question', first + Math.floor(random() * (last - first + 1)));
    const viewer = viewers.length > 0 ? viewers[Math.floor(random() * viewers.length)] : undefined;
    return {
      body: JSON.stringify({ query: threadPageQuery, variables: { id } }),
      headers: viewer === undefined ? {} : target.viewerHeaders(viewer),
    };
  };
}

/**
 * Reads every thread's anonymous page once, `concurrency` at a time, with the headers autocannon
 * sends (no Accept, which the cache's key holds): the cached service's first round then starts warm,
 * as a service that has been running does, rather than with a cold cache.
 */
export async function readEveryPage(target: Target, dataset: Dataset, concurrency = 8): Promise<void> {
  const { first, last } = dataset.questionIds;
  const read = (rowId: number) =>
    new Promise<void>((done, fail) => {
      const body = JSON.stringify({ query: threadPageQuery, variables: { id: globalId('Question', rowId) } });
      const call = request(target.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) =>
        res.resume().on('end', done).on('error', fail),
      );
      call.on('error', fail);
      call.end(body);
    });
  let next = first;
  const reader = async () => {
    for (let rowId = next++; rowId <= last; rowId = next++) await read(rowId);
  };
  await Promise.all(Array.from({ length: concurrency }, reader));
}

/** Asks both targets for the same pages; counts the pages whose JSON differ. */
export async function comparePages(service: Target, floor: Target, viewer: number, pages: number) {
  let differ = 0;
  let example: unknown;
  for (let i = 0; i < pages; i += 1) {
    const id = globalId('Question', 1 + ((i * 97) % shape.questions));
    const as = i % 2 === 0 ? undefined : viewer;
    const bodies = await Promise.all(
      [service, floor].map(async (target) => {
        const response = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(as ? target.viewerHeaders(as) : {}) },
          body: JSON.stringify({ query: threadPageQuery, variables: { id } }),
        });
        return response.text();
      }),
    );
    const [ours, theirs] = bodies.map((body) => JSON.stringify(JSON.parse(body)));
    if (ours !== theirs) {
      differ += 1;
      const at = [...ours].findIndex((c, i) => c !== theirs[i]);
      example ??= {
        id,
        viewer: as ?? null,
        service: ours.slice(at - 200, at + 200),
        floor: theirs.slice(at - 200, at + 200),
      };
    }
  }
  return { pages, differ, example };
}
