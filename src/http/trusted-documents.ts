import type { RequestHandler } from 'express';
import type { GraphQLError } from 'graphql';
import { readFileSync } from 'node:fs';
import { ApiError, ForbiddenError } from '../errors/index.js';
import { requestParamsOf, sha256, type RequestParams } from './persisted-queries.js';

/** The prefix GraphQL-over-HTTP's persisted documents (and codegen's client preset) put before a SHA-256. */
const sha256Prefix = 'sha256:';

/** The hexadecimal SHA-256 a document id names, with or without its `sha256:` prefix. */
function hexOf(id: string): string {
  return id.startsWith(sha256Prefix) ? id.slice(sha256Prefix.length) : id;
}

/** The only operations a server runs when it is given them: a manifest of SHA-256 → document text. */
export interface TrustedDocuments {
  /** How many documents the manifest holds. */
  readonly size: number;
  /**
   * The text to run for a request, or the error that refuses it. A request names its document by
   * `documentId` (GraphQL-over-HTTP, codegen's client preset) or `extensions.persistedQuery.sha256Hash`
   * (Apollo's protocol), with or without `sha256:`; an id the manifest lacks is PERSISTED_QUERY_NOT_FOUND.
   * A full `query` runs only if its text is in the manifest: any other text, and so registering a
   * new automatic persisted query, is FORBIDDEN, as is a request that names no document.
   */
  sourceOf(params: RequestParams): string | GraphQLError;
}

/**
 * Reads a manifest as codegen's client preset writes it (`persisted-documents.json`: an object of
 * `sha256:<hex>` → document; bare hex keys are read too). Throws, naming the file, if it cannot be
 * read, is not such an object, or holds a document that does not hash to its key: a server must not
 * start with a safelist other than the one its clients were built with.
 */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the trusted documents' manifest ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new Error(`${path} is not a manifest of trusted documents: an object of hash → document`);
  }
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(manifest)) {
    if (typeof text !== 'string' || sha256(text) !== hexOf(id)) {
      throw new Error(`${path}: the document under ${id} is not the text whose SHA-256 that is`);
    }
    documents.set(hexOf(id), text);
  }
  return {
    size: documents.size,
    sourceOf({ query, documentId, extensions }) {
      if (typeof query === 'string' && query !== '') {
        if (documents.has(sha256(query))) return query;
        return new ForbiddenError('Only trusted documents run here: send the documentId of one in the manifest');
      }
      const id =
        typeof documentId === 'string'
          ? documentId
          : (extensions?.persistedQuery as { sha256Hash?: unknown } | null | undefined)?.sha256Hash;
      if (typeof id !== 'string') {
        return new ForbiddenError('Only trusted documents run here: name one by its documentId');
      }
      return (
        documents.get(hexOf(id)) ??
        new ApiError(`No trusted document has the id ${id}`, 'PERSISTED_QUERY_NOT_FOUND', { documentId: id })
      );
    },
  };
}

/**
 * Express middleware of the HTTP transports (/graphql and /graphql/stream, after the JSON parser)
 * that runs trusted documents alone: each request, POST or GET, goes on with the text of the
 * document it names as its `query`, without `documentId` or `persistedQuery`, so what follows (the
 * page cache, the limits, Apollo, graphql-sse) sees a plain request. A refused one is answered here:
 * 404 PERSISTED_QUERY_NOT_FOUND or 403 FORBIDDEN, never cached, since a deploy may add the document.
 */
export function trustedDocumentsOnly(trusted: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    const params = requestParamsOf(req);
    const source = trusted.sourceOf(params);
    if (typeof source === 'string') {
      runAs(req, params, source);
      return next();
    }
    res.setHeader('cache-control', 'no-store');
    res.status(source.extensions.code === 'PERSISTED_QUERY_NOT_FOUND' ? 404 : 403).json({
      errors: [{ message: source.message, extensions: { ...source.extensions, requestId: res.locals.requestId } }],
    });
  };
}

/** Rewrites `req` into a plain request for `query`: the body of a POST, the URL of a GET. */
function runAs(req: Parameters<RequestHandler>[0], params: RequestParams, query: string): void {
  const { persistedQuery: _persisted, ...extensions } = params.extensions ?? {};
  const rest = Object.keys(extensions).length > 0 ? extensions : undefined;
  if (req.method !== 'GET') {
    const { documentId: _id, extensions: _extensions, ...body } = req.body as Record<string, unknown>;
    req.body = rest ? { ...body, query, extensions: rest } : { ...body, query };
    return;
  }
  const url = new URL(req.url, 'http://localhost');
  url.searchParams.delete('documentId');
  url.searchParams.set('query', query);
  if (rest) url.searchParams.set('extensions', JSON.stringify(rest));
  else url.searchParams.delete('extensions');
  req.url = url.pathname + url.search;
}
