import { describe, expect, it } from '@jest/globals';
import {
  DeletePostDocument,
  EditPostDocument,
  LogInDocument,
  PostReplyDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask } from './support/actions.js';
import { author, search, seed, server, useSearchServer } from './support/search.js';

useSearchServer();

describe('search and writes', () => {
  it('should escape the body in the snippet: no raw <script>, only <mark> tags', async () => {
    const questionId = (
      await ask(server, author, {
        title: 'Une question sur la sécurité',
        body: 'Rien de spécial ici.',
        tags: ['recherche'],
      })
    ).id;
    await answer(
      server,
      author,
      questionId,
      'Attention <script>alert("zorglub")</script> au zorglub & à <b>ses amis</b>.',
    );
    const [edge] = (await search('zorglub')).edges;
    expect(edge.node.__typename).toBe('Answer');
    expect(edge.snippet).toContain('<mark>zorglub</mark>');
    expect(edge.snippet).not.toContain('<script');
    expect(edge.snippet).toContain('&lt;script&gt;');
    expect(edge.snippet).toContain('&amp;');
    expect(edge.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
  });

  it('should rank a question whose title matches above an older answer whose body matches once', async () => {
    const first = (
      await ask(server, author, {
        title: 'Une question sans le mot cherché',
        body: 'Un corps sans rapport.',
        tags: ['recherche'],
      })
    ).id;
    const olderAnswer = (await answer(server, author, first, 'Il paraît que le quokka sourit toujours.')).id;
    const titled = (
      await ask(server, author, {
        title: 'Le quokka est-il un animal heureux ?',
        body: 'Je me demande, tout simplement.',
        tags: ['recherche'],
      })
    ).id;
    const found = await search('quokka');
    expect(found.nodes.map((node) => node.id)).toEqual([titled, olderAnswer]);
  });

  it('should find an edited post by its new title and body, and no longer by the words it lost', async () => {
    const questionId = (
      await ask(server, author, {
        title: 'Le pangolin dort-il ?',
        body: 'Le pangolin se roule en boule.',
        tags: ['recherche'],
      })
    ).id;
    const edited = await server.gql(
      EditPostDocument,
      { input: { id: questionId, title: 'Le tatou dort-il ?', body: 'Le tatou creuse des terriers.' } },
      author.token,
    );
    expect(edited.errors).toBeUndefined();
    expect((await search('pangolin')).totalCount).toBe(0);
    expect((await search('tatou')).nodes.map((node) => node.id)).toEqual([questionId]);
    expect((await search('terriers')).nodes.map((node) => node.id)).toEqual([questionId]);
  });

  it('should leave out a reply once its author deletes it', async () => {
    const reply = seed.answers.flatMap((a) => a.replies).find((r) => r.author === 'ArlitConseil')!;
    expect(reply.body).toContain('préoccupations');
    const before = await search('préoccupations');
    expect(before.edges.map((edge) => [edge.node.__typename, edge.node.author.username])).toEqual([
      ['Reply', 'ArlitConseil'],
    ]);
    const login = await server.gql(LogInDocument, { input: { username: 'ArlitConseil', password: 'demo-password' } });
    expect(login.errors).toBeUndefined();
    const deleted = await server.gql(DeletePostDocument, { id: before.nodes[0].id }, login.data!.logIn.token);
    expect(deleted.errors).toBeUndefined();
    const after = await search('preoccupations');
    expect([after.edges, after.totalCount]).toEqual([[], 0]);
    expect(await server.drift()).toEqual([]);
  });

  it('should leave out the answers and replies of a deleted question', async () => {
    const questionId = (
      await ask(server, author, {
        title: 'Qui connaît le zygomorphe ?',
        body: 'Le zygomorphe intrigue.',
        tags: ['recherche'],
      })
    ).id;
    const answerId = (await answer(server, author, questionId, 'Un zygomorphe, voyons.')).id;
    const reply = await server.gql(
      PostReplyDocument,
      { input: { answerId, body: 'Zygomorphes, au pluriel.' } },
      author.token,
    );
    expect(reply.errors).toBeUndefined();
    expect((await search('zygomorphe')).totalCount).toBe(3);
    const deleted = await server.gql(DeletePostDocument, { id: questionId }, author.token);
    expect(deleted.errors).toBeUndefined();
    const after = await search('zygomorphe');
    expect([after.edges, after.totalCount]).toEqual([[], 0]);
    expect(await server.drift()).toEqual([]);
  });
});
