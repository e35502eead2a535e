import { RateLimiterCluster, RateLimiterClusterMaster } from 'rate-limiter-flexible';

/** A limiter's settings, as rate-limiter-flexible takes them. */
export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration: number;
}

/** How long a worker waits for the primary's answer before the call fails. */
const timeoutMs = 2000;

/**
 * In a cluster's primary: keeps every worker's counters (see {@link clusterLimiter}) in memory.
 * Call it once, before the workers are forked.
 */
export function serveClusterLimits(): void {
  new RateLimiterClusterMaster();
}

/**
 * A limiter whose counters the cluster's primary keeps ({@link serveClusterLimits}), shared by every
 * worker. Each `keyPrefix` names one limiter; a call the primary does not answer within 2 s rejects.
 */
export function clusterLimiter(options: LimiterOptions): RateLimiterCluster {
  return new RateLimiterCluster({ ...options, timeoutMs });
}
