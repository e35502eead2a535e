import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  DeletePostDocument,
  EditPostDocument,
  PostAnswerDocument,
  PostHistoryDocument,
  type EditPostInput,
} from '../schema/trusted-documents/graphql.js';
import { ask, type User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { rowIdOf } from './support/ids.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
let alice: User;
let bob: User;

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.signUp('Alice_rev');
  bob = await server.signUp('Bob_rev');
});

/** The question whose history the tests write: its title, body and tags are asserted. */
const historyQuestion = {
  title: 'Comment tenir un historique ?',
  body: 'Première version de la question.',
  tags: ['histoire', 'edition'],
};

async function edit(input: EditPostInput, token = alice.token) {
  const response = await server.gql(EditPostDocument, { input }, token);
  expect(response.errors).toBeUndefined();
  return response.data!.editPost;
}

async function history(id: string, first = 10, after?: string) {
  const response = await server.gql(PostHistoryDocument, { id, first, after });
  expect(response.errors).toBeUndefined();
  return response.data!.node;
}

/** The bodies of a post's revisions, newest first. */
async function bodies(id: string): Promise<string[]> {
  const post = await history(id);
  if (post === null || !('revisions' in post)) throw new Error(`no post ${id}`);
  return post.revisions.nodes.map((revision) => revision.body);
}

/** Moves a post's creation and its revisions `minutes` into the past, as if time had gone by. */
async function ageBy(id: string, minutes: number): Promise<void> {
  const rowId = rowIdOf(id);
  const shift = `interval '${minutes} minutes'`;
  await server.db.query(`UPDATE post SET created_at = created_at - ${shift} WHERE id = $1`, [rowId]);
  await server.db.query(`UPDATE post_revision SET created_at = created_at - ${shift} WHERE post_id = $1`, [rowId]);
}

describe('revisions', () => {
  it('should keep the post as written as its first revision, with its title, tags and author', async () => {
    const question = await ask(server, alice, historyQuestion);
    const post = await history(question.id);
    expect(post).toMatchObject({
      editedAt: null,
      revisionCount: 1,
      revisions: {
        totalCount: 1,
        pageInfo: { hasNextPage: false },
        nodes: [
          {
            number: 1,
            title: 'Comment tenir un historique ?',
            body: 'Première version de la question.',
            bodyHTML: '<p>Première version de la question.</p>\n',
            tags: ['histoire', 'edition'],
            editor: { username: 'Alice_rev' },
          },
        ],
      },
    });
  });

  it('should add a revision for an edit at once, then fold edits within 5 minutes into it', async () => {
    const question = await ask(server, alice, { ...historyQuestion, body: 'v1' });
    await edit({ id: question.id, body: 'v2' });
    expect(await bodies(question.id)).toEqual(['v2', 'v1']);
    await edit({ id: question.id, body: 'v3', title: 'Un titre corrigé ici' });
    const post = await history(question.id);
    expect(post).toMatchObject({ body: 'v3', revisionCount: 2, editedAt: null, revisions: { totalCount: 2 } });
    expect(post && 'revisions' in post && post.revisions.nodes.map(({ number, title }) => ({ number, title }))).toEqual(
      [
        { number: 2, title: 'Un titre corrigé ici' },
        { number: 1, title: 'Comment tenir un historique ?' },
      ],
    );
    expect(await server.drift()).toEqual([]);
  });

  it('should add a revision once the newest is older than 5 minutes, and mark the post edited', async () => {
    const question = await ask(server, alice, { ...historyQuestion, body: 'v1' });
    await ageBy(question.id, 10);
    const before = Date.now();
    await edit({ id: question.id, body: 'v2', tags: ['histoire'] });
    await edit({ id: question.id, body: 'v2 sans faute' });
    await ageBy(question.id, 6);
    await edit({ id: question.id, body: 'v3' });
    const post = await history(question.id);
    expect(await bodies(question.id)).toEqual(['v3', 'v2 sans faute', 'v1']);
    expect(post).toMatchObject({ revisionCount: 3, revisions: { totalCount: 3 } });
    expect(post && 'revisions' in post && post.revisions.nodes.map((revision) => revision.tags)).toEqual([
      ['histoire'],
      ['histoire'],
      ['histoire', 'edition'],
    ]);
    expect(Date.parse((post as { editedAt: string }).editedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await server.drift()).toEqual([]);
  });

  it('should never fold an edit into the original, however soon', async () => {
    const question = await ask(server, alice, { ...historyQuestion, body: 'original' });
    await edit({ id: question.id, body: 'first edit' });
    await ageBy(question.id, 6);
    await edit({ id: question.id, body: 'second edit' });
    await edit({ id: question.id, body: 'second edit, fixed' });
    expect(await bodies(question.id)).toEqual(['second edit, fixed', 'first edit', 'original']);
  });

  it('should keep an answer’s revisions without title or tags, rendered with its mentions', async () => {
    const question = await ask(server, alice, historyQuestion);
    const answered = await server.gql(
      PostAnswerDocument,
      { input: { questionId: question.id, body: 'Voir https://example.org' } },
      bob.token,
    );
    const answerId = answered.data!.postAnswer.id;
    await edit({ id: answerId, body: 'Voir @Alice_rev' }, bob.token);
    const post = await history(answerId);
    expect(post && 'revisions' in post && post.revisions.nodes).toEqual([
      expect.objectContaining({ number: 2, title: null, tags: [], editor: { username: 'Bob_rev' } }),
      expect.objectContaining({ number: 1, title: null, tags: [] }),
    ]);
    const [newest, original] = post && 'revisions' in post ? post.revisions.nodes : [];
    expect(newest.bodyHTML).toContain('href="/users/Alice_rev"');
    expect(original.bodyHTML).toContain('href="https://example.org"');
  });

  it('should page through revisions newest first with cursors', async () => {
    const question = await ask(server, alice, { ...historyQuestion, body: 'r1' });
    for (const body of ['r2', 'r3', 'r4']) {
      await edit({ id: question.id, body });
      await ageBy(question.id, 6);
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const post = await history(question.id, 3, after);
      if (post === null || !('revisions' in post)) throw new Error('no post');
      seen.push(...post.revisions.nodes.map((revision) => revision.body));
      if (!post.revisions.pageInfo.hasNextPage) break;
      after = post.revisions.pageInfo.endCursor!;
    }
    expect(seen).toEqual(['r4', 'r3', 'r2', 'r1']);
  });

  it('should record both of two concurrent edits: the later commit is the post, the earlier in the history', async () => {
    const question = await ask(server, alice, { ...historyQuestion, body: 'base' });
    await edit({ id: question.id, body: 'typo fix' });
    // Past the grace window, so that the first edit to commit is a revision of its own too.
    await ageBy(question.id, 6);
    const rowId = Number(Buffer.from(question.id, 'base64url').toString().split(':')[1]);
    // Hold the thread's lock so that both edits begin before either commits.
    const holder = server.db.typeorm.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM post WHERE id = $1 FOR UPDATE', [rowId]);
    const edits = Promise.all([edit({ id: question.id, body: 'edit A' }), edit({ id: question.id, body: 'edit B' })]);
    for (;;) {
      // Asked outside the holder's transaction, which would keep seeing its first snapshot of the activity.
      const [{ waiting }]: Array<{ waiting: number }> = await server.db.query(
        `SELECT count(*)::integer AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (waiting === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.commitTransaction();
    await holder.release();
    await edits;
    const [now, earlier, ...rest] = await bodies(question.id);
    expect([now, earlier].sort()).toEqual(['edit A', 'edit B']);
    expect(rest).toEqual(['typo fix', 'base']);
    expect(await history(question.id)).toMatchObject({ body: now, revisionCount: 4 });
    expect(await server.drift()).toEqual([]);
  });

  it('should expose no revisions of a deleted post', async () => {
    const question = await ask(server, alice, { ...historyQuestion, body: 'to be deleted' });
    await edit({ id: question.id, body: 'edited before deletion' });
    const answered = await server.gql(
      PostAnswerDocument,
      { input: { questionId: question.id, body: 'an answer' } },
      bob.token,
    );
    const deleted = await server.gql(DeletePostDocument, { id: question.id }, alice.token);
    expect(deleted.errors).toBeUndefined();
    expect(await history(question.id)).toBeNull();
    expect(await history(answered.data!.postAnswer.id)).toBeNull();
    expect(await server.drift()).toEqual([]);
  });

  it('should read the revisions of every answer on a page in one statement, whatever their number', async () => {
    const statementsFor = async (answers: number) => {
      const question = await ask(server, alice, historyQuestion);
      for (let i = 0; i < answers; i += 1) {
        const answered = await server.gql(
          PostAnswerDocument,
          { input: { questionId: question.id, body: `réponse ${i}` } },
          bob.token,
        );
        await edit({ id: answered.data!.postAnswer.id, body: `réponse ${i}, revue` }, bob.token);
      }
      server.sql.length = 0;
      const response = await server.post({
        query: `query ($id: ID!) { question(id: $id) { revisions { nodes { body editor { username } } }
          answers(first: 10) { nodes { revisionCount revisions(first: 5) { nodes { number body editor { username } } } } } } }`,
        variables: { id: question.id },
      });
      expect(response.errors).toBeUndefined();
      return server.sql.length;
    };
    expect(await statementsFor(6)).toBe(await statementsFor(1));
  });
});
