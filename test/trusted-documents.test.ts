import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient as createSseClient } from 'graphql-sse';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ThreadEventsDocument,
  ThreadPageDocument,
  ThreadViewDocument,
  VoteDocument,
} from '../schema/trusted-documents/graphql.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { loadTrustedDocuments } from '../src/http/trusted-documents.js';
import { sha256 } from '../src/http/persisted-queries.js';
import { createTrustedApolloClient } from './clients/apollo-trusted.js';
import { runTrusted } from './clients/trusted-fetch.js';
import { ask, type User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { leave, serve, startTestServer, wsClient } from './support/servers.js';
import { failureOf, watch, type Subscriber } from './support/ws.js';

const manifestPath = 'schema/trusted-documents/persisted-documents.json';
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;

/** The id codegen's client preset gave a generated document: its key in the manifest. */
const idOf = <T, V>(document: TypedDocumentNode<T, V>): string =>
  (document as { __meta__?: { hash: string } }).__meta__!.hash;

/** A text no manifest holds, and an id no manifest has. */
const untrusted = '{ __typename }';
const unknownId = `sha256:${sha256('{ viewer { id } }')}`;

let open: TestServer;
let trustedUrl: string;
let author: User;
let questionId: string;

beforeAll(async () => {
  open = await startTestServer();
  // The same database, served with the manifest: what it refuses, the open server set up.
  trustedUrl = (await serve(open.db, { trustedDocuments: loadTrustedDocuments(manifestPath) })).url;
  author = await open.signUp();
  questionId = (await ask(open, author)).id;
});

/** Sends `params` to the trusted server's /graphql, by POST (a JSON body) or GET (the URL's parameters). */
async function send(method: 'POST' | 'GET', params: Record<string, unknown>, path = '/graphql') {
  const target = new URL(path, trustedUrl);
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (method === 'GET') {
    for (const [name, value] of Object.entries(params)) {
      target.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
  } else {
    init.headers = { 'content-type': 'application/json', accept: 'application/json' };
    init.body = JSON.stringify(params);
  }
  const response = await fetch(target, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refused = (code: string) => ({
  errors: [expect.objectContaining({ extensions: expect.objectContaining({ code }) })],
});

/**
 * `client` subscribing to the document `id` names, whatever it is asked: by `documentId` or by
 * Apollo's `persistedQuery` extension, with the empty text graphql-ws requires.
 */
function byId(client: Subscriber, id: string, name: 'documentId' | 'persistedQuery' = 'documentId'): Subscriber {
  const named =
    name === 'documentId'
      ? { documentId: id }
      : { extensions: { persistedQuery: { version: 1, sha256Hash: id.slice('sha256:'.length) } } };
  return {
    subscribe: (payload, sink) => {
      const sent: Parameters<Subscriber['subscribe']>[0] = { ...named, query: '', variables: payload.variables };
      return client.subscribe(sent, sink);
    },
  };
}

describe('the manifest of trusted documents', () => {
  it('should hold every operation of schema/operations, each under the id its generated document carries', () => {
    expect(loadConfig({ TRUSTED_DOCUMENTS: manifestPath }).trustedDocuments?.size).toBe(Object.keys(manifest).length);
    expect(manifest[idOf(ThreadPageDocument)]).toMatch(/^query ThreadPage\(/);
  });

  it('should stop the start, naming TRUSTED_DOCUMENTS, when a document does not hash to its id', () => {
    const path = join(tmpdir(), `tampered-${randomUUID()}.json`);
    writeFileSync(path, JSON.stringify({ [idOf(ThreadPageDocument)]: untrusted }));
    leave(() => rmSync(path));
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: path })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: path })).toThrow(/^TRUSTED_DOCUMENTS: .+ under sha256:/);
  });
});

describe('trusted documents over HTTP', () => {
  it.each([['POST' as const], ['GET' as const]])(
    'should run a document named by documentId or by its persisted-query hash, by %s',
    async (method) => {
      const id = idOf(ThreadPageDocument);
      const expected = { status: 200, body: { data: { question: expect.objectContaining({ id: questionId }) } } };
      expect(await send(method, { documentId: id, variables: { id: questionId } })).toEqual(expected);
      const persistedQuery = { version: 1, sha256Hash: id.slice('sha256:'.length) };
      expect(await send(method, { extensions: { persistedQuery }, variables: { id: questionId } })).toEqual(expected);
    },
  );

  it("should let the page cache keep a thread page named by its id, as it would the page's text", async () => {
    const { url } = await serve(open.db, {
      trustedDocuments: loadTrustedDocuments(manifestPath),
      pageCacheBytes: 1 << 20,
    });
    const target = new URL('/graphql', url);
    target.searchParams.set('documentId', idOf(ThreadViewDocument));
    target.searchParams.set('variables', JSON.stringify({ id: questionId }));
    const reads = [await fetch(target), await fetch(target)];
    expect(reads.map((read) => [read.status, read.headers.get('x-page-cache')])).toEqual([
      [200, 'miss'],
      [200, 'hit'],
    ]);
  });

  it('should run the full text of a trusted document', async () => {
    const query = manifest[idOf(ThreadPageDocument)];
    expect(await send('POST', { query, variables: { id: questionId } })).toMatchObject({
      status: 200,
      body: { data: { question: { id: questionId } } },
    });
  });

  it.each([['POST' as const], ['GET' as const]])(
    'should refuse any other text with FORBIDDEN and an unknown id with PERSISTED_QUERY_NOT_FOUND, by %s',
    async (method) => {
      expect(await send(method, { query: untrusted })).toEqual({ status: 403, body: refused('FORBIDDEN') });
      expect(await send(method, { documentId: unknownId })).toEqual({
        status: 404,
        body: refused('PERSISTED_QUERY_NOT_FOUND'),
      });
      expect(await send(method, {})).toEqual({ status: 403, body: refused('FORBIDDEN') });
    },
  );

  it('should refuse to register an automatic persisted query', async () => {
    const persistedQuery = { version: 1, sha256Hash: sha256(untrusted) };
    expect(await send('POST', { query: untrusted, extensions: { persistedQuery } })).toEqual({
      status: 403,
      body: refused('FORBIDDEN'),
    });
    expect(await send('POST', { extensions: { persistedQuery } })).toEqual({
      status: 404,
      body: refused('PERSISTED_QUERY_NOT_FOUND'),
    });
  });

  it('should run a mutation named by documentId, as the client preset sends it', async () => {
    const voter = await open.signUp();
    const voted = await runTrusted(
      trustedUrl,
      VoteDocument,
      { input: { targetId: questionId, value: 'UP' } },
      voter.token,
    );
    expect(voted).toMatchObject({ data: { vote: { id: questionId, viewerVote: 'UP' } } });
  });

  it("should serve Apollo Client's persisted-queries link with the generated ids, never the text", async () => {
    const client = createTrustedApolloClient(trustedUrl);
    const sent: string[] = [];
    const realFetch = globalThis.fetch;
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      sent.push(`${String(input)} ${typeof init?.body === 'string' ? init.body : ''}`);
      return realFetch(input, init);
    });
    try {
      const { data } = await client.query({ query: ThreadPageDocument, variables: { id: questionId } });
      expect(data?.question).toMatchObject({ id: questionId });
      expect(sent).toHaveLength(1);
      expect(sent[0]).not.toMatch(/query=|"query"/);
      // A document that is not in the manifest: the link sends its text after the unknown hash, in vain.
      const other = gql(`query NotTrusted { viewer { id } }`);
      await expect(client.query({ query: other })).rejects.toMatchObject({
        statusCode: 403,
        bodyText: expect.stringContaining('"code":"FORBIDDEN"'),
      });
    } finally {
      spy.mockRestore();
      client.stop();
    }
  });
});

describe('trusted documents over graphql-ws and Server-Sent Events', () => {
  /** A trusted subscription to the thread's events after its current cursor, then a vote that is one. */
  async function receivesVote(client: Subscriber): Promise<void> {
    const cursor = (await open.gql(ThreadPageDocument, { id: questionId })).data!.question!.eventCursor;
    const w = watch(client, ThreadEventsDocument, { questionId, after: cursor });
    const voter = await open.signUp();
    await runTrusted(trustedUrl, VoteDocument, { input: { targetId: questionId, value: 'DOWN' } }, voter.token);
    const [event] = await w.next(1);
    expect(event).toMatchObject({ data: { threadEvents: { postId: questionId } } });
    w.stop();
  }

  it.each([['documentId' as const], ['persistedQuery' as const]])(
    'should run a graphql-ws subscription named by %s, which receives an event',
    async (name) => {
      await receivesVote(byId(wsClient(trustedUrl), idOf(ThreadEventsDocument), name));
    },
  );

  it('should run a graphql-sse subscription named by documentId, which receives an event', async () => {
    const client = createSseClient({ url: `${trustedUrl}/graphql/stream`, retryAttempts: 0 });
    leave(() => client.dispose());
    await receivesVote(byId(client, idOf(ThreadEventsDocument)));
  });

  it('should refuse any other text over graphql-ws with FORBIDDEN, an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    const client = wsClient(trustedUrl);
    const text = watch(client, gql(`subscription { threadEvents(questionId: "${questionId}") { cursor } }`), {});
    expect(await failureOf(text)).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    const unknown = watch(byId(client, unknownId), ThreadEventsDocument, { questionId });
    expect(await failureOf(unknown)).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) }),
    ]);
  });

  it('should refuse any other text over Server-Sent Events with FORBIDDEN, before the stream opens', async () => {
    const response = await fetch(`${trustedUrl}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: `subscription { threadEvents(questionId: "${questionId}") { cursor } }` }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 403,
      body: refused('FORBIDDEN'),
    });
  });
});
