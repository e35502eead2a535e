import type { Request, RequestHandler, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { createHash } from 'node:crypto';
import { boundedCache } from '../bounded-map.js';
import type { Database } from '../db/database.js';
import { RateLimitedError } from '../errors/index.js';
import { fromGlobalId } from '../ids.js';
import type { Metrics } from '../metrics.js';
import type { RateLimits } from '../services/rate-limits.js';
import { operationCost } from './limits.js';
import { planPage, type PagePlan } from './page-plan.js';
import { pageVersions, type PageVersion } from './page-version.js';

/** What the anonymous page cache keeps pages of, and how much of them. */
export interface PageCacheOptions {
  schema: GraphQLSchema;
  /** Where each request reads its thread's {@link PageVersion}. */
  db: Database;
  /** A page served from the cache costs its client what computing it would. */
  rateLimits: RateLimits;
  /** Most bytes of response bodies kept; the least recently served go first. 0 keeps none. */
  maxBytes: number;
  /** A page served from the cache is counted as the query Apollo would have answered. */
  metrics: Metrics;
}

/** A thread page as it was answered, and what it is as of. */
interface Page {
  version: PageVersion;
  body: Buffer;
  etag: string;
  /** The response headers Apollo set (the content type), to answer with again. */
  headers: Array<[string, string]>;
  cost: number;
}

/** A GraphQL request as the cache reads it, from a POST body or a GET query string. */
interface PageRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

/** How many documents' plans are remembered: clients send a handful of distinct pages. */
export const planCapacity = 1000;

/** The GraphQL request of a POST body or a GET query string; null when it is not one a page can be. */
export function readRequest(req: Request): PageRequest | null {
  const source: unknown = req.method === 'GET' ? req.query : req.method === 'POST' ? req.body : undefined;
  if (typeof source !== 'object' || source === null) return null;
  const { query, operationName, variables, extensions } = source as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  let parsed: unknown = variables ?? {};
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return null;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return { query, operationName: operationName ?? undefined, variables: parsed as Record<string, unknown> };
}

function questionIdOf(plan: PagePlan & { cacheable: true }, variables: Record<string, unknown>): number | null {
  const id = 'literal' in plan.id ? plan.id.literal : variables[plan.id.variable];
  if (typeof id !== 'string') return null;
  try {
    const { type, rowId } = fromGlobalId(id);
    return type === 'Question' ? rowId : null;
  } catch {
    return null;
  }
}

/** Whether `version` is behind `other`: either of its counters is lower. */
function isBehind(version: PageVersion, other: PageVersion): boolean {
  const [seq, epoch] = version.split('.').map(Number);
  const [otherSeq, otherEpoch] = other.split('.').map(Number);
  return seq < otherSeq || epoch < otherEpoch;
}

/** Answers with `page`; Express turns it into a 304 when a GET's If-None-Match names its ETag. */
function answer(res: Response, page: Page, outcome: 'hit' | 'miss'): void {
  for (const [name, value] of page.headers) res.setHeader(name, value);
  res.setHeader('etag', page.etag);
  res.setHeader('x-page-cache', outcome);
  res.send(page.body);
}

/**
 * The anonymous thread page cache, in front of Apollo on /graphql. A request without an
 * Authorization header whose document is a thread page (see {@link planPage}) first reads its
 * thread's version (one indexed statement); a page answered for the same document, variables,
 * Accept header and version is served again as it was, with its ETag and `x-page-cache: hit`.
 * Otherwise Apollo answers, and a 200 without errors is kept under the version read before it ran:
 * the page is at least that recent. Every other request passes through untouched.
 */
export function pageCache(options: PageCacheOptions): RequestHandler {
  const { schema, rateLimits, maxBytes } = options;
  const versionOf = pageVersions(options.db);
  const pages = new Map<string, Page>();
  let bytes = 0;

  const forget = (key: string) => {
    const page = pages.get(key);
    if (page === undefined) return;
    pages.delete(key);
    bytes -= page.body.length + key.length;
  };
  const keep = (key: string, page: Page) => {
    const size = page.body.length + key.length;
    if (size > maxBytes) return;
    const kept = pages.get(key);
    if (kept !== undefined && isBehind(page.version, kept.version)) return;
    forget(key);
    pages.set(key, page);
    bytes += size;
    for (const oldest of pages.keys()) {
      if (bytes <= maxBytes) break;
      forget(oldest);
    }
  };
  const plans = boundedCache<string, PagePlan>(planCapacity);
  const planOf = (query: string, operationName: string | undefined) =>
    plans(`${operationName ?? ''}\n${query}`, () => planPage(schema, query, operationName));

  /** Keeps what Apollo answers, if it is a page; the headers it set are those not set before it ran. */
  const capture = (res: Response, key: string, version: PageVersion, request: PageRequest, plan: PagePlan) => {
    const before = new Set(res.getHeaderNames());
    const send = res.send.bind(res);
    res.send = (body: unknown) => {
      res.send = send;
      if (res.statusCode !== 200 || typeof body !== 'string' || !plan.cacheable) return send(body);
      if ((JSON.parse(body) as { errors?: unknown }).errors !== undefined) return send(body);
      const buffer = Buffer.from(body);
      const page: Page = {
        version,
        body: buffer,
        etag: `"${createHash('sha1').update(buffer).digest('base64url')}"`,
        headers: res
          .getHeaderNames()
          .filter((name) => !before.has(name))
          .map((name) => [name, String(res.getHeader(name))]),
        cost: operationCost(schema, plan.document, request),
      };
      keep(key, page);
      answer(res, page, 'miss');
      return res;
    };
  };

  return async (req, res, next) => {
    if (maxBytes === 0 || req.headers.authorization !== undefined) return next();
    const started = performance.now();
    const request = readRequest(req);
    if (request === null) return next();
    const plan = planOf(request.query, request.operationName);
    if (!plan.cacheable) return next();
    const questionId = questionIdOf(plan, request.variables);
    if (questionId === null) return next();
    let version: PageVersion | null;
    try {
      version = await versionOf(questionId);
    } catch {
      // Apollo answers as it would without the cache, with the database's error if it persists.
      return next();
    }
    if (version === null) return next();
    const key = `${req.headers.accept ?? ''}\n${request.operationName ?? ''}\n${JSON.stringify(request.variables)}\n${request.query}`;
    const page = pages.get(key);
    if (page === undefined || page.version !== version) {
      capture(res, key, version, request, plan);
      return next();
    }
    try {
      await rateLimits.queryCost(req.ip ?? '', page.cost);
    } catch (error) {
      // Apollo refuses it, in the shape and with the status of every refusal.
      if (error instanceof RateLimitedError) return next();
      return next(error);
    }
    pages.delete(key);
    pages.set(key, page);
    answer(res, page, 'hit');
    options.metrics.operation(request.operationName, 'query', 'success', (performance.now() - started) / 1000);
  };
}
