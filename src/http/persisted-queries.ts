import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';

/** Where automatic persisted queries (Apollo's protocol) are kept. */
export interface PersistedQueryOptions {
  /**
   * Redis shared by every instance, so a hash registered through one is known to all; without it
   * each process keeps its own, in Apollo's bounded in-memory LRU cache (about 30 MiB).
   * @default undefined: in memory
   */
  redisUrl?: string;
  /** Prefix of the store's Redis keys, so deployments sharing a Redis keep apart. @default 'thread-api' */
  keyPrefix?: string;
  /** How long a registered document is kept, in seconds; 0: until evicted. @default 86400 (a day) */
  ttlSeconds?: number;
}

/** Apollo's KeyValueCache over Redis: strings under `prefix`, expiring after their TTL. */
class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (options?.ttl) await this.redis.set(this.prefix + key, value, 'EX', options.ttl);
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

/** The `persistedQueries` option of Apollo Server, and a plugin that lets the store go on stop. */
export interface PersistedQueries {
  options: NonNullable<ApolloServerOptions<object>['persistedQueries']>;
  plugin: ApolloServerPlugin;
}

/**
 * Automatic persisted queries by Apollo's protocol: a hash-only request (POST, or a CDN-friendly
 * GET) runs the document registered under that hash, or gets `PERSISTED_QUERY_NOT_FOUND`, on which
 * the client sends the document with its hash once to register it.
 */
export function persistedQueries(options: PersistedQueryOptions = {}): PersistedQueries {
  const ttl = (options.ttlSeconds ?? 86_400) || null;
  const redis = options.redisUrl ? new Redis(options.redisUrl) : undefined;
  const cache = redis ? new RedisKeyValueCache(redis, `${options.keyPrefix ?? 'thread-api'}:`) : undefined;
  return {
    options: { cache, ttl },
    plugin: {
      async serverWillStart() {
        return {
          async serverWillStop() {
            await redis?.quit();
          },
        };
      },
    },
  };
}

/** The hexadecimal SHA-256 of a document's text, as Apollo's protocol names it. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What a GraphQL request over HTTP says, from its POST body or its GET parameters. */
export interface RequestParams {
  query?: unknown;
  /** The id of a persisted document (GraphQL-over-HTTP's name; codegen's client preset sends it). */
  documentId?: unknown;
  /**
   * The request's extensions, those of a GET parsed from JSON (undefined if malformed); Apollo's
   * automatic persisted query is their `persistedQuery`, `{ version, sha256Hash }`.
   */
  extensions?: Record<string, unknown> | null;
}

/** The parameters of a request to the GraphQL endpoint; empty if its body is not a JSON object. */
export function requestParamsOf(req: Parameters<RequestHandler>[0]): RequestParams {
  const source: unknown = req.method === 'GET' ? req.query : req.body;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return {};
  const { query, documentId, extensions: sent } = source as Record<string, unknown>;
  let extensions: unknown = sent;
  if (typeof sent === 'string') {
    try {
      extensions = JSON.parse(sent);
    } catch {
      extensions = undefined;
    }
  }
  if (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions)) {
    return { query, documentId };
  }
  return { query, documentId, extensions: extensions as Record<string, unknown> };
}

/**
 * Express middleware for the GraphQL endpoint, after the JSON parser: refuses a persisted query of
 * another protocol version, or whose document does not hash to its `sha256Hash`, with status 400 and
 * BAD_USER_INPUT (`field: "persistedQuery"`, rule `version` or `hash`). Apollo refuses them too, but
 * without a code, which would reach the client as INTERNAL_SERVER_ERROR.
 */
export const refuseBadPersistedQueries: RequestHandler = (req, res, next) => {
  const { query, extensions } = requestParamsOf(req);
  const persistedQuery = extensions?.persistedQuery;
  if (persistedQuery === undefined) return next();
  const { version, sha256Hash } = (persistedQuery ?? {}) as { version?: unknown; sha256Hash?: unknown };
  const rule =
    version !== 1
      ? 'version'
      : typeof sha256Hash !== 'string' || (typeof query === 'string' && sha256(query) !== sha256Hash)
        ? 'hash'
        : undefined;
  if (!rule) return next();
  const message =
    rule === 'version'
      ? 'Only version 1 of automatic persisted queries is supported'
      : "The persisted query's sha256Hash is not the SHA-256 of its query";
  res.status(400).json({
    errors: [
      {
        message,
        extensions: {
          code: 'BAD_USER_INPUT',
          field: 'persistedQuery',
          rule,
          requestId: res.locals.requestId as string,
        },
      },
    ],
  });
};
