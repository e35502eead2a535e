import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { findDrift, type Drift } from '../../src/db/consistency.js';
import { openDatabase } from '../../src/db/data-source.js';
import { startApp, type RunningApp } from '../../src/app.js';
import type { SocketLimits } from '../../src/http/transport-limits.js';
import type { TrustedDocuments } from '../../src/http/trusted-documents.js';
import { loadConfig } from '../../src/config.js';
import type { RateLimitSettings } from '../../src/services/rate-limits.js';
import type { Services } from '../../src/services/index.js';
import type { Log } from '../../src/log.js';

/** A GraphQL response as a client sees it, with the HTTP status. */
export type Response<T> = ExecutionResult<T> & { status: number };

/** A server of our own on a database of our own, talking HTTP like any client. */
export interface TestServer {
  url: string;
  db: Database;
  services: Services;
  /** Every SQL statement the server ran since the last `sql.length = 0`. */
  sql: string[];
  /** Sends a typed operation, with `token` as Bearer when given. */
  gql<T, V>(document: TypedDocumentNode<T, V>, variables?: V, token?: string): Promise<Response<T>>;
  /** Sends a raw body to /graphql. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response<unknown>>;
  /** Signs a new user up and returns their token and row id. */
  signUp(username?: string): Promise<{ token: string; userId: number; username: string }>;
  /** Every counter that differs from its rows (see src/db/consistency.ts); [] when all agree. */
  drift(): Promise<Drift[]>;
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let userCounter = 0;

/** The Authorization header that signs a request in with `token`; none without one. */
export function bearer(token?: string): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** POSTs `body` (sent as is when a string) to a GraphQL `endpoint` and gives what a client sees of it. */
export async function postGraphql(
  endpoint: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response<unknown>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { ...((await response.json()) as ExecutionResult), status: response.status };
}

/** A database of our own on the test PostgreSQL. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `thread_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Tests write far faster than people: posts and votes per minute are raised, unless `rateLimits` says otherwise. */
const testRateLimits: Partial<RateLimitSettings> = {
  postsPerMinute: 10_000,
  votesPerMinute: 100_000,
  flagsPerHour: 100_000,
  queryCostPerMinute: 0,
  signupsPerIpPerHour: 0,
};

/** What to serve with: Redis for pub/sub and rate limits, and rate limits other than the test ones. */
export interface ServeOptions {
  redisUrl?: string;
  rateLimits?: Partial<RateLimitSettings>;
  socketLimits?: Partial<SocketLimits>;
  /** `production` masks internals as a deployment does. @default 'test' */
  nodeEnv?: string;
  /** `default`: the limits a deployment has, without the raised ones of `testRateLimits`. @default 'test' */
  limits?: 'test' | 'default';
  /** The anonymous page cache's bound (see src/http/page-cache.ts). @default 0: off */
  pageCacheBytes?: number;
  /** Thread pages from their compiled statement (see src/http/compiled-pages.ts). @default true */
  compiledPages?: boolean;
  /** Where the server logs. @default silent */
  log?: Log;
  /** The only documents served (see src/http/trusted-documents.ts). @default any */
  trustedDocuments?: TrustedDocuments;
}

/**
 * Serves `db` on 127.0.0.1, port 0, with silent logs. The rate limits are the defaults but for
 * `testRateLimits`, then `options.rateLimits`; they count in Redis when `redisUrl` is given.
 */
export async function serve(
  db: Database,
  options: ServeOptions = {},
): Promise<RunningApp & { server: Pick<RunningApp, 'url'> }> {
  const redis = options.redisUrl ? { redisUrl: options.redisUrl } : undefined;
  const raised = options.limits === 'default' ? {} : testRateLimits;
  const running = await startApp({
    db,
    rateLimits: { ...loadConfig({}), ...raised, ...options.rateLimits },
    sessionTtlSeconds: 3600,
    across: redis,
    counters: redis,
    nodeEnv: options.nodeEnv ?? 'test',
    socketLimits: options.socketLimits,
    persistedQueries: { redisUrl: options.redisUrl },
    pageCacheBytes: options.pageCacheBytes,
    compiledPages: options.compiledPages,
    log: options.log,
    trustedDocuments: options.trustedDocuments,
  });
  return { ...running, server: { url: running.url } };
}

/** Creates a database, migrates it and {@link serve}s it. */
export async function startTestServer(options: ServeOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const sql: string[] = [];
  const db = await openDatabase({
    url: database.url,
    onQuery: (statement) => sql.push(statement),
    // A burst of writes to one thread queues for the pool; on a loaded machine (CI runs two suites on
    // two cores) the last ones can wait past a deployment's 10 s, and no test is about that wait.
    connectionTimeoutMs: 60_000,
  });
  const { url, app, close } = await serve(db, options);
  const { services } = app;
  const post = (body: unknown, headers?: Record<string, string>) => postGraphql(`${url}/graphql`, body, headers);
  const gql = async <T, V>(document: TypedDocumentNode<T, V>, variables?: V, token?: string) =>
    (await post({ query: print(document), variables }, bearer(token))) as Response<T>;
  return {
    url,
    db,
    services,
    sql,
    gql,
    post,
    signUp: async (username = `user_${process.pid}_${++userCounter}`) => {
      const { token, user } = await services.users.signUp({ username, displayName: username, password: 'password123' });
      return { token, userId: user.rowId, username };
    },
    drift: () => findDrift(db),
    close: async () => {
      await close();
      await db.destroy();
      await database.drop();
    },
  };
}
