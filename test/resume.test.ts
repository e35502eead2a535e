import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { pruneEvents } from '../src/realtime/outbox.js';
import { AskQuestionDocument, PostAnswerDocument, ThreadPageDocument } from '../schema/trusted-documents/graphql.js';
import { startTestServer, type Response, type TestServer } from './support/harness.js';
import { startProxy, type Proxy } from './support/proxy.js';
import {
  watchWithApollo,
  watchWithGraphqlWs,
  watchWithUrql,
  type Handlers,
  type ThreadEvent,
} from './support/resume-snippets.js';
import { waitFor } from './support/wait.js';
import { wsUrl } from './support/ws.js';

let server: TestServer;
let proxy: Proxy;
let author: Awaited<ReturnType<TestServer['signUp']>>;
const stops: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startProxy(new URL(server.url));
  author = await server.signUp();
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await proxy.close();
  await server.close();
});

function dataOf<T>(response: Response<T>): T {
  if (response.errors || !response.data) throw new Error(`the operation failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

async function ask(): Promise<{ id: string; eventCursor: string }> {
  const input = { title: 'Comment reprendre après une coupure ?', body: 'Bonjour', tags: ['reseau'] };
  const { id } = dataOf(await server.gql(AskQuestionDocument, { input }, author.token)).askQuestion;
  const question = dataOf(await server.gql(ThreadPageDocument, { id })).question!;
  return { id, eventCursor: question.eventCursor };
}

async function answer(questionId: string, body: string): Promise<string> {
  return dataOf(await server.gql(PostAnswerDocument, { input: { questionId, body } }, author.token)).postAnswer.id;
}

/** What a watcher received. */
function recorder() {
  const events: ThreadEvent[] = [];
  let expired = 0;
  const errors: unknown[] = [];
  const handlers: Handlers = {
    event: (event) => void events.push(event),
    expired: () => void (expired += 1),
    error: (error) => void errors.push(error),
  };
  return { events, errors, handlers, expired: () => expired };
}

/** The graphql-ws options of every watcher: through the proxy, retrying quickly. */
const wsOptions = () => ({
  url: wsUrl(proxy.url),
  webSocketImpl: WebSocket,
  retryWait: () => new Promise<void>((wait) => setTimeout(wait, 100)),
});

const watchers = {
  'graphql-ws': (page: { id: string; eventCursor: string }, on: Handlers) => watchWithGraphqlWs(wsOptions(), page, on),
  'Apollo Client': (page: { id: string }, on: Handlers) =>
    watchWithApollo(`${proxy.url}/graphql`, wsOptions(), page.id, on),
  urql: (page: { id: string; eventCursor: string }, on: Handlers) =>
    watchWithUrql(`${proxy.url}/graphql`, wsOptions(), page, on),
};

describe.each(Object.entries(watchers))('a thread watcher with %s', (_name, watchThread) => {
  it('should receive every event once and in order across a cut connection, writes made while away included', async () => {
    const page = await ask();
    const { events, errors, handlers } = recorder();
    stops.push(watchThread(page, handlers));
    const written = [await answer(page.id, 'Avant la coupure')];
    await waitFor(() => events.length === 1);

    proxy.down();
    for (const body of ['Pendant la coupure 1', 'Pendant la coupure 2', 'Pendant la coupure 3']) {
      written.push(await answer(page.id, body));
    }
    await new Promise((away) => setTimeout(away, 300));
    proxy.up();
    written.push(await answer(page.id, 'Après la reconnexion'));

    await waitFor(() => events.length >= written.length);
    await new Promise((settle) => setTimeout(settle, 300));
    expect(errors).toEqual([]);
    expect(events.map((event) => [event.kind, event.postId])).toEqual(written.map((id) => ['ANSWER_ADDED', id]));
    const seqs = events.map((event) => Number(Buffer.from(event.cursor, 'base64url').toString().split(':')[2]));
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  }, 30_000);

  it('should report an expired cursor when it reconnects after the events it missed were pruned', async () => {
    const page = await ask();
    const { events, handlers, expired } = recorder();
    stops.push(watchThread(page, handlers));
    await answer(page.id, 'Avant la coupure');
    await waitFor(() => events.length === 1);

    proxy.down();
    await answer(page.id, 'Élaguée pendant la coupure');
    await pruneEvents(server.db, 0);
    proxy.up();
    // urql may repeat the refused result: the client refetches once all the same.
    await waitFor(() => expired() >= 1);
    expect(events).toHaveLength(1);
  }, 30_000);
});

describe('docs/live-threads.md', () => {
  it('should show the client code these tests run, word for word', () => {
    const doc = readFileSync(new URL('../docs/live-threads.md', import.meta.url), 'utf8');
    const code = readFileSync(new URL('./support/resume-snippets.ts', import.meta.url), 'utf8');
    const snippets = [...code.matchAll(/\/\/ snippet: (.+)\n([\s\S]*?)\/\/ end\n/g)];
    expect(snippets.map(([, name]) => name)).toEqual(['graphql-ws', 'Apollo Client', 'urql']);
    for (const [, , snippet] of snippets) expect(doc).toContain(snippet);
  });
});
