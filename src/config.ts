/** Runtime settings, read once from the environment. */
export interface Config {
  /** HTTP port. @default 4000 */
  port: number;
  /** Interface to listen on. @default '0.0.0.0' */
  host: string;
  /** External PostgreSQL; when unset an embedded PostgreSQL is started in `dataDir`. */
  databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its files. @default './.data' */
  dataDir: string;
  /** Load the demo thread into an empty database. @default true */
  seedDemo: boolean;
  /** How long a session token stays valid, in seconds. @default 30 days */
  sessionTtlSeconds: number;
  /** Password of the demo thread's accounts, so one can sign in as IngridSem. @default 'demo-password' */
  demoPassword: string;
  /** Redis for pub/sub across instances; in-process pub/sub when unset. */
  redisUrl: string | undefined;
  /** How long thread events stay replayable (`threadEvents(after:)`), in seconds. @default 7 days */
  eventRetentionSeconds: number;
  /** `production` masks internals and hides stack traces. @default 'development' */
  nodeEnv: string;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

/** Reads the configuration from `env`; throws on a malformed number. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intFrom(env.PORT, 4000, 'PORT'),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR ?? './.data',
    seedDemo: env.SEED_DEMO !== 'false',
    sessionTtlSeconds: intFrom(env.SESSION_TTL_SECONDS, 30 * 24 * 3600, 'SESSION_TTL_SECONDS'),
    demoPassword: env.DEMO_PASSWORD ?? 'demo-password',
    redisUrl: env.REDIS_URL || undefined,
    eventRetentionSeconds: intFrom(env.EVENT_RETENTION_SECONDS, 7 * 24 * 3600, 'EVENT_RETENTION_SECONDS'),
    nodeEnv: env.NODE_ENV ?? 'development',
  };
}
