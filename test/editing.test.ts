import { describe, expect, it } from '@jest/globals';
import { EditPostDocument, TagQuestionsDocument } from '../schema/trusted-documents/graphql.js';
import { answer, aQuestion, ask, reply } from './support/actions.js';
import {
  alice,
  answerSnapshot,
  bob,
  questionSnapshot,
  REL,
  server,
  snapshot,
  usePostsServer,
} from './support/posts.js';
import { problem } from './support/responses.js';

usePostsServer();

describe('editPost', () => {
  it("should let the author change a post's body, with bodyHTML, mentions and updatedAt following", async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id, 'Premier jet, merci @alice_posts.');
    expect(posted.mentions).toEqual([{ username: 'Alice_posts' }]);
    const edited = await server.gql(
      EditPostDocument,
      { input: { id: posted.id, body: 'Réécrit, merci **@carol_posts**.' } },
      bob.token,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.editPost).toMatchObject({
      __typename: 'Answer',
      id: posted.id,
      body: 'Réécrit, merci **@carol_posts**.',
      bodyHTML: `<p>Réécrit, merci <strong><a ${REL} href="/users/Carol_posts" class="mention">@carol_posts</a></strong>.</p>\n`,
      mentions: [{ username: 'Carol_posts' }],
    });
    expect(Date.parse(edited.data!.editPost.updatedAt)).toBeGreaterThan(Date.parse(posted.updatedAt));
    const read = await answerSnapshot(posted.id);
    expect(read).toMatchObject({ body: 'Réécrit, merci **@carol_posts**.', mentions: [{ username: 'Carol_posts' }] });
    expect(read.updatedAt).toBe(edited.data!.editPost.updatedAt);
    expect(await server.drift()).toEqual([]);
  });

  it("should let the author change a question's title and tags, moving the tag counts", async () => {
    const question = await ask(server, alice, { tags: ['edition-avant'] });
    const edited = await server.gql(
      EditPostDocument,
      { input: { id: question.id, title: '  Un titre tout neuf  ', tags: [' Edition-Apres ', 'autre'] } },
      alice.token,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.editPost).toMatchObject({
      title: 'Un titre tout neuf',
      body: aQuestion.body,
      tags: [
        { name: 'edition-apres', questionCount: 1 },
        { name: 'autre', questionCount: 1 },
      ],
    });
    const old = await server.gql(TagQuestionsDocument, { name: 'edition-avant' });
    expect(old.data?.tag).toMatchObject({ questionCount: 0, questions: { totalCount: 0, nodes: [] } });
    const renamed = await server.gql(TagQuestionsDocument, { name: 'edition-apres' });
    expect(renamed.data?.tag?.questions.nodes).toEqual([{ id: question.id, title: 'Un titre tout neuf' }]);
    expect(await server.drift()).toEqual([]);
  });

  it("should give FORBIDDEN when editing another user's post, and change nothing", async () => {
    const question = await ask(server, alice, { tags: ['interdit'] });
    const before = await questionSnapshot(question.id);
    const response = await server.gql(
      EditPostDocument,
      { input: { id: question.id, body: 'Pirate', title: 'Titre de pirate !', tags: ['pirate'] } },
      bob.token,
    );
    expect(problem(response)).toEqual({ code: 'FORBIDDEN' });
    expect(await questionSnapshot(question.id)).toEqual(before);
  });

  it('should give UNAUTHENTICATED when editing anonymously', async () => {
    const question = await ask(server, alice);
    const response = await server.gql(EditPostDocument, { input: { id: question.id, body: 'Anonyme' } });
    expect(problem(response)).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await questionSnapshot(question.id)).body).toBe(aQuestion.body);
  });

  it('should give BAD_USER_INPUT when giving a title or tags to an answer or a reply', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id, 'Réponse intacte');
    const replied = await reply(server, alice, posted.id, 'Réplique intacte');
    const titled = await server.gql(
      EditPostDocument,
      { input: { id: posted.id, body: 'Changé', title: 'Un titre de réponse' } },
      bob.token,
    );
    expect(problem(titled)).toEqual({ code: 'BAD_USER_INPUT', field: 'title', rule: 'questionOnly' });
    const tagged = await server.gql(EditPostDocument, { input: { id: replied.id, tags: ['reponse'] } }, alice.token);
    expect(problem(tagged)).toEqual({ code: 'BAD_USER_INPUT', field: 'tags', rule: 'questionOnly' });
    expect((await answerSnapshot(posted.id)).body).toBe('Réponse intacte');
    expect(await snapshot(replied.id)).toMatchObject({ __typename: 'Reply', body: 'Réplique intacte' });
  });

  it('should give BAD_USER_INPUT when the input changes nothing', async () => {
    const question = await ask(server, alice);
    const empty = await server.gql(EditPostDocument, { input: { id: question.id } }, alice.token);
    expect(problem(empty)).toEqual({ code: 'BAD_USER_INPUT', field: 'input', rule: 'empty' });
    const nulls = await server.gql(
      EditPostDocument,
      { input: { id: question.id, body: null, title: null, tags: null } },
      alice.token,
    );
    expect(problem(nulls)).toEqual({ code: 'BAD_USER_INPUT', field: 'input', rule: 'empty' });
  });

  it('should apply the limits of creation to an edit', async () => {
    const question = await ask(server, alice, { tags: ['limites'] });
    const before = await questionSnapshot(question.id);
    const edits = [
      { input: { id: question.id, title: `  ${'x'.repeat(9)}  ` }, expected: { field: 'title', rule: 'length' } },
      { input: { id: question.id, title: 'x'.repeat(201) }, expected: { field: 'title', rule: 'length' } },
      { input: { id: question.id, body: '' }, expected: { field: 'body', rule: 'length' } },
      { input: { id: question.id, body: '   ' }, expected: { field: 'body', rule: 'blank' } },
      { input: { id: question.id, body: 'x'.repeat(30_001) }, expected: { field: 'body', rule: 'length' } },
      { input: { id: question.id, tags: [] }, expected: { field: 'tags', rule: 'count' } },
      { input: { id: question.id, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }, expected: { field: 'tags', rule: 'count' } },
      { input: { id: question.id, tags: ['mal_forme'] }, expected: { field: 'tags', rule: 'pattern' } },
    ];
    const problems = [];
    for (const { input } of edits) problems.push(problem(await server.gql(EditPostDocument, { input }, alice.token)));
    expect(problems).toEqual(edits.map(({ expected }) => ({ code: 'BAD_USER_INPUT', ...expected })));
    expect(await questionSnapshot(question.id)).toEqual(before);
  });
});
