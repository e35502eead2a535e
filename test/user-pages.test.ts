import { describe, expect, it } from '@jest/globals';
import { UserPostsPageDocument } from '../schema/trusted-documents/graphql.js';
import { answer, ask } from './support/actions.js';
import { asker, server, usePagesServer } from './support/pages.js';

usePagesServer();

describe('user(username)', () => {
  it("should page through a user's questions and answers, newest first, with totalCount", async () => {
    const writer = await server.signUp('Writer_pages');
    const asked: string[] = [];
    for (let i = 0; i < 3; i++)
      asked.push((await ask(server, writer, { title: `Question numéro ${i} de Writer`, tags: ['auteur'] })).id);
    const otherQuestion = (await ask(server, asker, { title: 'Une question à laquelle Writer répond' })).id;
    const answered = [
      (await answer(server, writer, otherQuestion, 'Une')).id,
      (await answer(server, writer, otherQuestion, 'Deux')).id,
    ];

    const first = await server.gql(UserPostsPageDocument, { username: 'writer_PAGES', first: 2 });
    expect(first.errors).toBeUndefined();
    const user = first.data!.user!;
    expect(user.username).toBe('Writer_pages');
    expect(user.questions).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
      nodes: [{ id: asked[2] }, { id: asked[1] }],
    });
    expect(user.answers).toMatchObject({
      totalCount: 2,
      pageInfo: { hasNextPage: false, hasPreviousPage: false },
      nodes: [{ id: answered[1] }, { id: answered[0] }],
    });

    const second = await server.gql(UserPostsPageDocument, {
      username: 'Writer_pages',
      first: 2,
      questionsAfter: user.questions.pageInfo.endCursor,
    });
    expect(second.data?.user?.questions).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
      nodes: [{ id: asked[0] }],
    });
    expect((await server.gql(UserPostsPageDocument, { username: 'nobody_here' })).data).toEqual({ user: null });
  });
});
