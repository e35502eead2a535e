// Not ./http/limits.js, which loads graphql: the configuration is read before anything heavy loads.
import { limitsFromEnv, type QueryLimits } from './http/limits/query-limits.js';
import { socketLimits, type SocketLimits } from './http/transport-limits.js';
import { loadTrustedDocuments, type TrustedDocuments } from './http/trusted-documents.js';

/** Runtime settings, read once from the environment. */
export interface Config {
  /** HTTP port. @default 4000 */
  port: number;
  /** Interface to listen on. @default '0.0.0.0' */
  host: string;
  /**
   * `METRICS_PORT`: serve GET /metrics on this port of `host` instead of `port`, e.g. one the public
   * cannot reach. With WORKERS past 1 the primary serves it there, summing every worker.
   * @default unset: /metrics on `port`
   */
  metricsPort: number | undefined;
  /** External PostgreSQL; when unset an embedded PostgreSQL is started in `dataDir`. */
  databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its files. @default './.data' */
  dataDir: string;
  /**
   * Load the demo thread into an empty database. @default true, but false in production, where only
   * `SEED_DEMO=true` imports it
   */
  seedDemo: boolean;
  /** How long a session token stays valid, in seconds. @default 30 days */
  sessionTtlSeconds: number;
  /**
   * Password of the demo thread's accounts, so one can sign in as IngridSem. In production, importing
   * the demo with the default (published in the README) is a configuration error. @default 'demo-password'
   */
  demoPassword: string;
  /**
   * Origins whose browser scripts may call /graphql (CORS): `*`, or a comma-separated list of origins.
   * `*` is safe here because credentials are bearer tokens, never cookies (see docs/deploy.md). @default '*'
   */
  corsOrigins: '*' | string[];
  /**
   * `SHUTDOWN_DELAY_MS`: after SIGTERM, how long the service keeps serving with /readyz answering 503
   * before it stops accepting and drains, so that a balancer polling /readyz stops sending first
   * (set it to the balancer's interval times its unhealthy threshold). @default 0
   */
  shutdownDelayMs: number;
  /** Apply pending migrations at start (under an advisory lock); `MIGRATE=false` leaves it to a release step. @default true */
  migrate: boolean;
  /** Sign-ups one address may make in an hour. 0: no limit. @default 20 */
  signupsPerIpPerHour: number;
  /** Redis for pub/sub across instances; in-process pub/sub when unset. */
  redisUrl: string | undefined;
  /** How long thread events stay replayable (`threadEvents(after:)`), in seconds. @default 7 days */
  eventRetentionSeconds: number;
  /** A SQL statement running longer is cancelled (the request's time budget in the database). @default 10000 */
  statementTimeoutMs: number;
  /** Most connections each of the process's two pools opens to PostgreSQL. @default 10 */
  poolSize: number;
  /**
   * Processes serving HTTP and WebSocket on the one port (node:cluster), to use more than one core.
   * Past 1, events travel between them through PostgreSQL (or Redis, given REDIS_URL), and the rate
   * limits count in the primary process (or Redis). @default 1
   */
  workers: number;
  /** Failed log-ins in a row for one username from one address before a lockout. 0: no limit. @default 10 */
  loginFailuresPerUser: number;
  /** How long that lockout lasts, in seconds; 0: a day from the first failure. @default 900 (15 minutes) */
  loginLockoutSeconds: number;
  /** Failed log-ins from one address in a day, whatever the usernames. 0: no limit. @default 100 */
  loginFailuresPerIpPerDay: number;
  /** Questions, answers and replies one user may post in a minute. 0: no limit. @default 30 */
  postsPerMinute: number;
  /** Votes one user may cast in a minute. 0: no limit. @default 300 */
  votesPerMinute: number;
  /** FLAGS_PER_HOUR: flags one user may raise in an hour. 0: no limit. @default 20 */
  flagsPerHour: number;
  /**
   * Query cost (objects a request can return, as QUERY_TOO_COMPLEX counts them) one address may spend
   * in a minute over HTTP; the thread page costs 183. 0: no limit. @default 500000
   */
  queryCostPerMinute: number;
  /** Prefix of the rate limits' Redis keys, so deployments sharing a Redis count apart. @default 'thread-api' */
  rateLimitPrefix: string;
  /**
   * Express's `trust proxy`: whom to believe about the client's address in `X-Forwarded-For`
   * (`true`, a number of hops, or addresses and subnets). @default false: the socket's address
   */
  trustProxy: boolean | number | string;
  /** Limits of the transports: WS_CONNECTION_INIT_MS, WS_MAX_MESSAGE_BYTES, WS_MAX_OPERATIONS, WS_MAX_PENDING_EVENTS, WS_MAX_BUFFERED_BYTES, MAX_BODY_BYTES. */
  socketLimits: SocketLimits;
  /**
   * What a GraphQL document may ask for: MAX_QUERY_DEPTH, MAX_ALIASES, MAX_TOKENS, MAX_DIRECTIVES,
   * MAX_DOCUMENT_CHARS, MAX_QUERY_COST (whole numbers > 0). @default the `limitDefaults` of src/http/limits
   */
  queryLimits: QueryLimits;
  /** `production` masks internals and hides stack traces. @default 'development' */
  nodeEnv: string;
  /** How long an automatic persisted query stays registered, in seconds; 0: until evicted. @default 86400 */
  persistedQueryTtlSeconds: number;
  /**
   * `TRUSTED_DOCUMENTS`: the manifest (codegen's `persisted-documents.json`) whose documents are
   * the only ones served, by id or text. @default undefined: any document, and automatic persisted queries
   */
  trustedDocuments: TrustedDocuments | undefined;
  /** ADMIN_USERNAMES: the accounts that are ADMIN, at sign-up and at every start (a comma list). @default none */
  adminUsernames: string[];
  /** FLAGS_TO_HIDE: open SPAM or RUDE flags from distinct members that hide a post (at least 1). @default 3 */
  flagsToHide: number;
  /**
   * Most bytes of anonymous thread pages kept in memory (src/http/page-cache.ts), least recently
   * served evicted first; 0 turns the cache off. `PAGE_CACHE_BYTES`. @default 64 MiB
   */
  pageCacheBytes: number;
  /** Least severe log line written (pino's levels; `silent` for none). `LOG_LEVEL`. @default 'info' */
  logLevel: string;
}

/** A setting that cannot work; its message is one line that names the variable and what to do. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The password the README publishes for the demo accounts. */
export const defaultDemoPassword = 'demo-password';

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new ConfigError(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

/** `TRUST_PROXY` as Express takes it: `true`/`false`, a number of hops, or a list of addresses. */
function trustProxyFrom(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function booleanFrom(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

/** `CORS_ORIGINS`: `*`, or origins separated by commas (`https://a.example,https://b.example`). */
function corsOriginsFrom(value: string | undefined): '*' | string[] {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return '*';
  const origins = value.split(',').map((origin) => origin.trim());
  const bad = origins.find((origin) => !/^https?:\/\/[^/\s]+$/.test(origin));
  if (bad !== undefined) throw new ConfigError(`CORS_ORIGINS must list origins like https://app.example, got "${bad}"`);
  return origins;
}

function trustedDocumentsFrom(path: string | undefined): TrustedDocuments | undefined {
  if (path === undefined || path === '') return undefined;
  try {
    return loadTrustedDocuments(path);
  } catch (error) {
    throw new ConfigError(`TRUSTED_DOCUMENTS: ${(error as Error).message}`, { cause: error });
  }
}

/** In production the demo comes only when asked for, and never with the password the README publishes. */
function demoFrom(env: NodeJS.ProcessEnv, production: boolean): Pick<Config, 'seedDemo' | 'demoPassword'> {
  const seedDemo = booleanFrom(env.SEED_DEMO, !production, 'SEED_DEMO');
  const demoPassword = env.DEMO_PASSWORD || defaultDemoPassword;
  if (production && seedDemo && demoPassword === defaultDemoPassword) {
    throw new ConfigError(
      'SEED_DEMO=true in production needs a DEMO_PASSWORD of its own: the default one is published in the README',
    );
  }
  return { seedDemo, demoPassword };
}

/**
 * Reads the configuration from `env`; throws a {@link ConfigError} on a malformed or unsafe setting.
 * This is the one reader of the environment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  return {
    ...demoFrom(env, nodeEnv === 'production'),
    corsOrigins: corsOriginsFrom(env.CORS_ORIGINS),
    migrate: booleanFrom(env.MIGRATE, true, 'MIGRATE'),
    shutdownDelayMs: intFrom(env.SHUTDOWN_DELAY_MS, 0, 'SHUTDOWN_DELAY_MS'),
    signupsPerIpPerHour: intFrom(env.SIGNUPS_PER_IP_PER_HOUR, 20, 'SIGNUPS_PER_IP_PER_HOUR'),
    port: intFrom(env.PORT, 4000, 'PORT'),
    host: env.HOST ?? '0.0.0.0',
    metricsPort: env.METRICS_PORT ? intFrom(env.METRICS_PORT, 0, 'METRICS_PORT') : undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR ?? './.data',
    sessionTtlSeconds: intFrom(env.SESSION_TTL_SECONDS, 30 * 24 * 3600, 'SESSION_TTL_SECONDS'),
    redisUrl: env.REDIS_URL || undefined,
    eventRetentionSeconds: intFrom(env.EVENT_RETENTION_SECONDS, 7 * 24 * 3600, 'EVENT_RETENTION_SECONDS'),
    statementTimeoutMs: intFrom(env.STATEMENT_TIMEOUT_MS, 10_000, 'STATEMENT_TIMEOUT_MS'),
    poolSize: intFrom(env.DB_POOL_SIZE, 10, 'DB_POOL_SIZE'),
    workers: Math.max(1, intFrom(env.WORKERS, 1, 'WORKERS')),
    loginFailuresPerUser: intFrom(env.LOGIN_FAILURES_PER_USER, 10, 'LOGIN_FAILURES_PER_USER'),
    loginLockoutSeconds: intFrom(env.LOGIN_LOCKOUT_SECONDS, 900, 'LOGIN_LOCKOUT_SECONDS'),
    loginFailuresPerIpPerDay: intFrom(env.LOGIN_FAILURES_PER_IP_PER_DAY, 100, 'LOGIN_FAILURES_PER_IP_PER_DAY'),
    postsPerMinute: intFrom(env.POSTS_PER_MINUTE, 30, 'POSTS_PER_MINUTE'),
    votesPerMinute: intFrom(env.VOTES_PER_MINUTE, 300, 'VOTES_PER_MINUTE'),
    flagsPerHour: intFrom(env.FLAGS_PER_HOUR, 20, 'FLAGS_PER_HOUR'),
    queryCostPerMinute: intFrom(env.QUERY_COST_PER_MINUTE, 500_000, 'QUERY_COST_PER_MINUTE'),
    rateLimitPrefix: env.RATE_LIMIT_PREFIX || 'thread-api',
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    socketLimits: {
      connectionInitMs: intFrom(env.WS_CONNECTION_INIT_MS, socketLimits.connectionInitMs, 'WS_CONNECTION_INIT_MS'),
      socketMessageBytes: intFrom(env.WS_MAX_MESSAGE_BYTES, socketLimits.socketMessageBytes, 'WS_MAX_MESSAGE_BYTES'),
      subscriptionsPerSocket: intFrom(env.WS_MAX_OPERATIONS, socketLimits.subscriptionsPerSocket, 'WS_MAX_OPERATIONS'),
      pendingEventsPerOperation: intFrom(
        env.WS_MAX_PENDING_EVENTS,
        socketLimits.pendingEventsPerOperation,
        'WS_MAX_PENDING_EVENTS',
      ),
      bufferedBytesPerSocket: intFrom(
        env.WS_MAX_BUFFERED_BYTES,
        socketLimits.bufferedBytesPerSocket,
        'WS_MAX_BUFFERED_BYTES',
      ),
      httpBodyBytes: intFrom(env.MAX_BODY_BYTES, socketLimits.httpBodyBytes, 'MAX_BODY_BYTES'),
    },
    queryLimits: limitsFromEnv(env),
    nodeEnv,
    persistedQueryTtlSeconds: intFrom(env.APQ_TTL_SECONDS, 86_400, 'APQ_TTL_SECONDS'),
    trustedDocuments: trustedDocumentsFrom(env.TRUSTED_DOCUMENTS),
    adminUsernames: (env.ADMIN_USERNAMES ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    flagsToHide: Math.max(1, intFrom(env.FLAGS_TO_HIDE, 3, 'FLAGS_TO_HIDE')),
    logLevel: env.LOG_LEVEL || 'info',
    pageCacheBytes: intFrom(env.PAGE_CACHE_BYTES, 64 * 1024 * 1024, 'PAGE_CACHE_BYTES'),
  };
}
