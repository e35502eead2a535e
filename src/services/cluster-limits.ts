import cluster from 'node:cluster';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** A limiter's settings, as rate-limiter-flexible takes them. */
export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration: number;
}

/** What the limits ask of a limiter: rate-limiter-flexible's own limiters have these too. */
export interface Limiter {
  /** Resolves when the points were left; rejects with a RateLimiterRes when they were not. */
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

type Operation = 'consume' | 'reward' | 'delete';
/** A call from a worker: its number, the limiter, what to do, to which key, with how many points. */
type Call = [id: number, limiter: LimiterOptions, operation: Operation, key: string, points: number];
/** The primary's answer to a call: done (the limiter's result), refused (its RateLimiterRes), or failed (why). */
type Answer = [id: number, outcome: 'done' | 'refused' | 'failed', result: ResultFields | string];
type ResultFields = Pick<RateLimiterRes, 'remainingPoints' | 'msBeforeNext' | 'consumedPoints' | 'isFirstInDuration'>;

const channel = 'thread-api:rate-limits';
const timeoutMs = 2000;

const isMessage = (message: unknown): message is { channel: string } =>
  typeof message === 'object' && message !== null && (message as { channel?: unknown }).channel === channel;

const fieldsOf = (res: RateLimiterRes): ResultFields => ({
  remainingPoints: res.remainingPoints,
  msBeforeNext: res.msBeforeNext,
  consumedPoints: res.consumedPoints,
  isFirstInDuration: res.isFirstInDuration,
});

const resOf = (fields: ResultFields) =>
  new RateLimiterRes(fields.remainingPoints, fields.msBeforeNext, fields.consumedPoints, fields.isFirstInDuration);

/**
 * In a cluster's primary: keeps every worker's counters (see {@link clusterLimiter}) in memory and
 * answers each batch of calls with one message.
 */
export function serveClusterLimits(): void {
  const limiters = new Map<string, RateLimiterMemory>();
  const run = async ([id, options, operation, key, points]: Call): Promise<Answer> => {
    let limiter = limiters.get(options.keyPrefix);
    if (limiter === undefined) limiters.set(options.keyPrefix, (limiter = new RateLimiterMemory(options)));
    try {
      switch (operation) {
        case 'consume':
          return [id, 'done', fieldsOf(await limiter.consume(key, points))];
        case 'reward':
          return [id, 'done', fieldsOf(await limiter.reward(key, points))];
        case 'delete':
          await limiter.delete(key);
          return [id, 'done', fieldsOf(new RateLimiterRes())];
      }
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return [id, 'refused', fieldsOf(rejection)];
      return [id, 'failed', String(rejection)];
    }
  };
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message)) return;
    void Promise.all((message as unknown as { calls: Call[] }).calls.map(run)).then((answers) => {
      if (worker.isConnected()) worker.send({ channel, answers });
    });
  });
}

/** A worker's link to the primary: the calls waiting for an answer, and those not sent yet. */
interface Link {
  waiting: Map<number, { resolve(fields: ResultFields): void; reject(reason: unknown): void }>;
  unsent: Call[];
  lastId: number;
}

let link: Link | undefined;

/** Opens the link on first use: only workers that count in the primary listen to it. */
function linkToPrimary(): Link {
  if (link !== undefined) return link;
  const opened: Link = { waiting: new Map(), unsent: [], lastId: 0 };
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    for (const [id, outcome, result] of (message as unknown as { answers: Answer[] }).answers) {
      const call = opened.waiting.get(id);
      opened.waiting.delete(id);
      if (outcome === 'done') call?.resolve(result as ResultFields);
      else call?.reject(outcome === 'refused' ? resOf(result as ResultFields) : new Error(result as string));
    }
  });
  return (link = opened);
}

function flush(to: Link): void {
  const calls = to.unsent;
  to.unsent = [];
  process.send?.({ channel, calls });
  setTimeout(() => {
    for (const [id] of calls) {
      to.waiting.get(id)?.reject(new Error('The rate limits did not answer in time'));
      to.waiting.delete(id);
    }
  }, timeoutMs).unref();
}

function send(limiter: LimiterOptions, operation: Operation, key: string, points: number): Promise<ResultFields> {
  const to = linkToPrimary();
  return new Promise((resolve, reject) => {
    const id = (to.lastId += 1);
    to.waiting.set(id, { resolve, reject });
    // The calls of one turn of the event loop go in one message: each message costs both processes a
    // wake-up, which under load cost more than the counting.
    if (to.unsent.push([id, limiter, operation, key, points]) === 1) setImmediate(flush, to);
  });
}

/** A limiter whose counters the cluster's primary keeps ({@link serveClusterLimits}), shared by every worker. */
export function clusterLimiter(options: LimiterOptions): Limiter {
  return {
    consume: async (key, points = 1) => resOf(await send(options, 'consume', key, points)),
    reward: async (key, points = 1) => resOf(await send(options, 'reward', key, points)),
    delete: async (key) => {
      await send(options, 'delete', key, 0);
      return true;
    },
  };
}
