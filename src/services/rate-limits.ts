import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { RateLimitedError } from '../errors/index.js';
import { clusterLimiter } from './cluster-limits.js';

/** The settings the limits are made from; a limit of 0 turns that limit off. */
export type RateLimitSettings = Pick<
  Config,
  | 'loginFailuresPerUser'
  | 'loginFailuresPerIpPerDay'
  | 'loginLockoutSeconds'
  | 'postsPerMinute'
  | 'votesPerMinute'
  | 'flagsPerHour'
  | 'queryCostPerMinute'
  | 'signupsPerIpPerHour'
  | 'rateLimitPrefix'
>;

/**
 * How often a client may try to log in and a user may write. Counters live in this process, or in
 * Redis so that every instance shares them. Each check is one atomic increment, so concurrent
 * requests (or aliases in one request) cannot slip past a limit together.
 */
export interface RateLimits {
  /**
   * Runs `attempt` (which resolves to null when the username or password is wrong) unless the client
   * at `ip` is locked out of `username` or has failed too often today: then RATE_LIMITED, whatever the
   * password. A failure counts against both; a success clears the username's count and does not count.
   */
  logIn<T>(username: string, ip: string, attempt: () => Promise<T | null>): Promise<T | null>;
  /**
   * Counts one sign-up from the client at `ip`, before its password is hashed (argon2id, 19 MiB);
   * RATE_LIMITED past the hour's limit.
   */
  signUp(ip: string): Promise<void>;
  /** Counts one post (question, answer or reply) by `userId`; RATE_LIMITED past the minute's limit. */
  post(userId: number): Promise<void>;
  /** Counts one vote by `userId`; RATE_LIMITED past the minute's limit. */
  vote(userId: number): Promise<void>;
  /** Counts one flag by `userId`; RATE_LIMITED past the hour's limit. */
  flag(userId: number): Promise<void>;
  /**
   * Spends `cost` (see operationCost in src/http/limits/cost.ts) of the minute's budget of the client at
   * `ip`; RATE_LIMITED past it.
   */
  queryCost(ip: string, cost: number): Promise<void>;
  /**
   * Resolves once Redis answers, or after 2 s: until then each instance counts in its own memory, so
   * an instance that served before its connection was up would let a shared limit be passed.
   */
  connected(): Promise<void>;
  /** Disconnects from Redis, if connected. */
  close(): Promise<void>;
}

const day = 24 * 3600;

/** Counts one point against `key`; RATE_LIMITED, saying when to retry, when the limit is spent. */
async function consume(limiter: RateLimiterAbstract | null, key: string, message: string, points = 1): Promise<void> {
  if (!limiter || points <= 0) return;
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new RateLimitedError(`${message}; try again in ${retryAfter} s`, retryAfter);
  }
}

/** Where counters live when not in this process's memory: Redis, or the primary of a cluster of workers. */
export type SharedCounters = { redisUrl: string } | 'cluster';

/**
 * Creates the limits: in Redis when given its URL (falling back to this process's memory while Redis
 * does not answer); in the cluster's primary, for a worker of one (see cluster-limits.ts); else in
 * memory.
 */
export function createRateLimits(settings: RateLimitSettings, shared?: SharedCounters): RateLimits {
  // Without the offline queue a command fails at once while Redis is away, and the memory takes over.
  const redis = typeof shared === 'object' ? new Redis(shared.redisUrl, { enableOfflineQueue: false }) : undefined;
  const limiter = (name: string, points: number, duration: number, blockDuration = 0) => {
    if (points === 0) return null;
    const options = { keyPrefix: `${settings.rateLimitPrefix}:${name}`, points, duration, blockDuration };
    if (shared === 'cluster') return clusterLimiter(options);
    if (!redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
  };
  // Failures of one username from one address: counted for a day, then a lockout once past the limit.
  const perUser = limiter('login-user', settings.loginFailuresPerUser, day, settings.loginLockoutSeconds);
  const perIp = limiter('login-ip', settings.loginFailuresPerIpPerDay, day);
  const posts = limiter('posts', settings.postsPerMinute, 60);
  const votes = limiter('votes', settings.votesPerMinute, 60);
  const flags = limiter('flags', settings.flagsPerHour, 3600);
  const queryCost = limiter('query-cost', settings.queryCostPerMinute, 60);
  const signUps = limiter('signups', settings.signupsPerIpPerHour, 3600);

  return {
    async logIn<T>(username: string, ip: string, attempt: () => Promise<T | null>): Promise<T | null> {
      // Usernames match in any case; an address holds no '@', so the pair maps to one key.
      const userKey = `${username.toLowerCase().slice(0, 100)}@${ip}`;
      // The attempt is counted before the password is checked, so concurrent guesses cannot overtake the count.
      await consume(perIp, ip, 'Too many failed log-ins from this address today');
      try {
        await consume(perUser, userKey, 'Too many failed log-ins for this username');
      } catch (error) {
        await perIp?.reward(ip);
        throw error;
      }
      let result: T | null;
      try {
        result = await attempt();
      } catch (error) {
        await Promise.all([perIp?.reward(ip), perUser?.reward(userKey)]);
        throw error;
      }
      if (result !== null) await Promise.all([perIp?.reward(ip), perUser?.delete(userKey)]);
      return result;
    },
    signUp: (ip) => consume(signUps, ip, 'Too many sign-ups from this address this hour'),
    post: (userId) => consume(posts, String(userId), 'Too many posts this minute'),
    vote: (userId) => consume(votes, String(userId), 'Too many votes this minute'),
    flag: (userId) => consume(flags, String(userId), 'Too many flags this hour'),
    queryCost: (ip, cost) => consume(queryCost, ip, 'This address spent its query budget for this minute', cost),
    connected: () =>
      new Promise<void>((done) => {
        if (!redis || redis.status === 'ready') return done();
        const finish = () => {
          clearTimeout(timer);
          redis.off('ready', finish);
          done();
        };
        const timer = setTimeout(finish, 2000);
        redis.once('ready', finish);
      }),
    close: async () => {
      if (redis?.status === 'ready') await redis.quit();
      else redis?.disconnect();
    },
  };
}
