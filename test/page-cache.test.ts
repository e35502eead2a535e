import { beforeAll, describe, expect, it } from '@jest/globals';
import { print } from 'graphql';
import {
  AcceptAnswerDocument,
  DeletePostDocument,
  EditPostDocument,
  ThreadViewDocument,
  UnacceptAnswerDocument,
} from '../schema/trusted-documents/graphql.js';
import { pageVersions } from '../src/http/page-version.js';
import { fromGlobalId } from '../src/ids.js';
import type { TestServer } from './support/harness.js';
import { answer, reply, signUpMany, vote, writeThread, type User } from './support/actions.js';
import { serve, startTestServer } from './support/servers.js';

/** The thread page, with the acceptance and counts a page may show on top of ThreadView's fields. */
const threadPage = print(ThreadViewDocument).replace(
  'replies(first: 5) {',
  'isAccepted replyCount replies(first: 5) {',
);

interface Read {
  status: number;
  cache: string | null;
  etag: string | null;
  text: string;
}

/** Reads the page of `questionId` anonymously through `url`, by POST unless `get` says GET. */
async function readPage(url: string, questionId: string, headers: Record<string, string> = {}, get = false) {
  const variables = JSON.stringify({ id: questionId });
  const response = get
    ? await fetch(`${url}/graphql?${new URLSearchParams({ query: threadPage, variables })}`, {
        headers: { 'apollo-require-preflight': 'true', ...headers },
      })
    : await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: threadPage, variables: { id: questionId } }),
      });
  const read: Read = {
    status: response.status,
    cache: response.headers.get('x-page-cache'),
    etag: response.headers.get('etag'),
    text: await response.text(),
  };
  return read;
}

let server: TestServer;
let asker: User;
let answerer: User;
let voter: User;
/** Another instance on the same database, without the cache. */
let uncachedUrl: string;

beforeAll(async () => {
  server = await startTestServer({ pageCacheBytes: 1 << 20 });
  uncachedUrl = (await serve(server.db, { pageCacheBytes: 0 })).url;
  [asker, answerer, voter] = await signUpMany(server, 3);
});

/** A fresh thread, its page read twice so that the second read comes from the cache. */
async function cachedThread(): Promise<{ question: string; answer: string; reply: string; page: string }> {
  const ids = await writeThread(server, {
    asker,
    answerer,
    question: { title: 'Comment attirer des entrepreneurs ?', tags: ['reseau'] },
    answer: 'Une réponse',
    reply: 'Une précision',
  });
  const first = await readPage(server.url, ids.question);
  expect(first.cache).toBe('miss');
  const second = await readPage(server.url, ids.question);
  expect(second).toMatchObject({ status: 200, cache: 'hit', text: first.text });
  return { ...ids, page: first.text };
}

/** Reads the page after a change: a miss, different from `before`, and equal to what an uncached read gives. */
async function expectInvalidated(question: string, before: string): Promise<string> {
  const after = await readPage(server.url, question);
  expect(after.cache).toBe('miss');
  expect(after.text).not.toBe(before);
  const uncached = await readPage(uncachedUrl, question);
  expect(uncached.cache).toBeNull();
  expect(after.text).toBe(uncached.text);
  return after.text;
}

describe('the anonymous page cache', () => {
  it('should serve the same page again without running it, while the thread does not change', async () => {
    const { question } = await cachedThread();
    server.sql.length = 0;
    expect((await readPage(server.url, question)).cache).toBe('hit');
    expect(server.sql).toHaveLength(1);
  });

  it('should leave signed-in requests and other operations to Apollo', async () => {
    const { question } = await cachedThread();
    const signedIn = await readPage(server.url, question, { authorization: `Bearer ${voter.token}` });
    expect(signedIn).toMatchObject({ status: 200, cache: null });
    const profile = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ question(id: "${question}") { id author { reputation } } }` }),
    });
    expect(profile.status).toBe(200);
    expect(profile.headers.get('x-page-cache')).toBeNull();
  });

  it('should give a new page when an answer is posted', async () => {
    const { question, page } = await cachedThread();
    await answer(server, answerer, question, 'Une deuxième réponse');
    expect(await expectInvalidated(question, page)).toContain('Une deuxième réponse');
  });

  it('should give a new page when a reply is posted', async () => {
    const { question, answer: answerId, page } = await cachedThread();
    await reply(server, voter, answerId, 'Une autre précision');
    expect(await expectInvalidated(question, page)).toContain('Une autre précision');
  });

  it('should give a new page when a score changes', async () => {
    const { question, reply: replyId, page } = await cachedThread();
    await vote(server, voter, replyId, 'UP');
    await expectInvalidated(question, page);
  });

  it('should give a new page when a body, the title or the tags are edited', async () => {
    const { question, answer: answerId, page } = await cachedThread();
    await server.gql(EditPostDocument, { input: { id: answerId, body: 'Une réponse corrigée' } }, answerer.token);
    const edited = await expectInvalidated(question, page);
    await readPage(server.url, question);
    await server.gql(
      EditPostDocument,
      { input: { id: question, title: 'Comment trouver des entrepreneurs ?' } },
      asker.token,
    );
    const retitled = await expectInvalidated(question, edited);
    await readPage(server.url, question);
    await server.gql(EditPostDocument, { input: { id: question, tags: ['reseau', 'emploi'] } }, asker.token);
    expect(await expectInvalidated(question, retitled)).toContain('emploi');
  });

  it('should give a new page when an answer is accepted or unaccepted', async () => {
    const { question, answer: answerId, page } = await cachedThread();
    await server.gql(AcceptAnswerDocument, { answerId }, asker.token);
    const accepted = await expectInvalidated(question, page);
    await readPage(server.url, question);
    await server.gql(UnacceptAnswerDocument, { questionId: question }, asker.token);
    await expectInvalidated(question, accepted);
  });

  it('should give a new page when a reply or an answer is deleted, and none once the question is', async () => {
    const { question, answer: answerId, reply: replyId, page } = await cachedThread();
    await server.gql(DeletePostDocument, { id: replyId }, asker.token);
    const withoutReply = await expectInvalidated(question, page);
    await readPage(server.url, question);
    await server.gql(DeletePostDocument, { id: answerId }, answerer.token);
    await expectInvalidated(question, withoutReply);
    await server.gql(DeletePostDocument, { id: question }, asker.token);
    const gone = await readPage(server.url, question);
    expect(gone.cache).toBeNull();
    expect(JSON.parse(gone.text)).toEqual({ data: { question: null } });
  });

  it('should give a new page when an author’s display name or username changes', async () => {
    const { question, page } = await cachedThread();
    await server.db.query('UPDATE "user" SET display_name = $2 WHERE id = $1', [answerer.userId, 'Ingrid S.']);
    const renamed = await expectInvalidated(question, page);
    expect(renamed).toContain('Ingrid S.');
    await readPage(server.url, question);
    await server.db.query('UPDATE "user" SET username = $2 WHERE id = $1', [asker.userId, `${asker.username}_b`]);
    expect(await expectInvalidated(question, renamed)).toContain(`${asker.username}_b`);
  });

  it('should answer a GET with an ETag, and 304 when If-None-Match names it', async () => {
    const { question } = await cachedThread();
    const read = await readPage(server.url, question, {}, true);
    expect(read).toMatchObject({ status: 200, cache: 'hit' });
    expect(read.etag).toMatch(/^".+"$/);
    // fetch adds Cache-Control: no-cache to a conditional request, which a server must not answer 304.
    const conditional = { 'if-none-match': read.etag!, 'cache-control': 'max-age=0' };
    const revalidated = await readPage(server.url, question, conditional, true);
    expect(revalidated).toMatchObject({ status: 304, text: '' });
    await vote(server, voter, question, 'UP');
    const changed = await readPage(server.url, question, conditional, true);
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(read.etag);
  });

  it('should keep no page past its bound in bytes, and none at all when it is 0', async () => {
    const { question } = await cachedThread();
    expect((await readPage(uncachedUrl, question)).cache).toBeNull();
    const tiny = await serve(server.db, { pageCacheBytes: 100 });
    const first = await readPage(tiny.url, question);
    expect((await readPage(tiny.url, question)).cache).toBe('miss');
    expect(first.text.length).toBeGreaterThan(100);
  });
});

/** The score of the first answer on a page read. */
function firstAnswerScore(read: Read): number {
  const page = JSON.parse(read.text) as { data: { question: { answers: { nodes: Array<{ score: number }> } } } };
  return page.data.question.answers.nodes[0].score;
}

describe('the checks of page versions', () => {
  const versionStatements = () => server.sql.filter((statement) => statement.includes('page_epoch')).length;
  const nextTurn = () => new Promise((done) => setImmediate(done));

  it('should read the versions asked for in one turn of the event loop in one statement', async () => {
    const questions = await Promise.all([cachedThread(), cachedThread(), cachedThread()]);
    const versionOf = pageVersions(server.db);
    server.sql.length = 0;
    const versions = await Promise.all(questions.map(({ question }) => versionOf(fromGlobalId(question).rowId)));
    expect(versions.every((version) => /^\d+\.\d+$/.test(version!))).toBe(true);
    expect(versionStatements()).toBe(1);
  });

  it('should make the requests that arrive while a statement runs wait for the next one, all together', async () => {
    const [first, second, third] = await Promise.all([cachedThread(), cachedThread(), cachedThread()]);
    const versionOf = pageVersions(server.db);
    server.sql.length = 0;
    const early = versionOf(fromGlobalId(first.question).rowId);
    await nextTurn();
    // The first statement has started and cannot have ended: no I/O ran since.
    const late = [second, third].map(({ question }) => versionOf(fromGlobalId(question).rowId));
    const versions = await Promise.all([early, ...late]);
    expect(versions.every((version) => /^\d+\.\d+$/.test(version!))).toBe(true);
    expect(versionStatements()).toBe(2);
  });

  it('should never give a page older than a write answered before the read was sent, under concurrent reads', async () => {
    const other = await serve(server.db, { pageCacheBytes: 1 << 20 });
    const { question, answer: answerId } = await cachedThread();
    const voters = await signUpMany(server, 12);
    let answered = 0;
    let voting = true;
    const readers = [server.url, other.url].flatMap((url) =>
      Array.from({ length: 4 }, async () => {
        let reads = 0;
        while (voting) {
          const atLeast = answered;
          expect(firstAnswerScore(await readPage(url, question))).toBeGreaterThanOrEqual(atLeast);
          reads += 1;
        }
        return reads;
      }),
    );
    for (const voter of voters) answered = (await vote(server, voter, answerId, 'UP')).score;
    voting = false;
    const reads = await Promise.all(readers);
    expect(answered).toBe(voters.length);
    expect(reads.every((count) => count > 0)).toBe(true);
  });
});

describe('the page cache of two instances on one database', () => {
  it('should never serve a page older than a write answered by the other instance', async () => {
    const other = await serve(server.db, { pageCacheBytes: 1 << 20 });
    const { question, answer: answerId } = await cachedThread();
    expect((await readPage(other.url, question)).cache).toBe('miss');
    for (let round = 0; round < 20; round++) {
      expect((await readPage(other.url, question)).cache).toBe('hit');
      const { score } = await vote(server, voter, answerId, round % 2 === 0 ? 'UP' : 'NONE');
      const [onOther, onSame] = await Promise.all([readPage(other.url, question), readPage(server.url, question)]);
      for (const read of [onOther, onSame]) {
        expect(read.cache).toBe('miss');
        expect(firstAnswerScore(read)).toBe(score);
      }
    }
  });
});
