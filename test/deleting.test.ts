import { describe, expect, it } from '@jest/globals';
import {
  AcceptAnswerDocument,
  DeletePostDocument,
  EditPostDocument,
  PostAnswerDocument,
  PostReplyDocument,
  QuestionOrNullDocument,
  TagQuestionsDocument,
  UserPostsPageDocument,
  UserProfileDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, vote } from './support/actions.js';
import {
  alice,
  answerSnapshot,
  bob,
  carol,
  questionIds,
  questionSnapshot,
  server,
  snapshot,
  usePostsServer,
} from './support/posts.js';
import { problem } from './support/responses.js';

usePostsServer();

async function reputationsOf(usernames: string[]): Promise<number[]> {
  const profiles = await Promise.all(usernames.map((username) => server.gql(UserProfileDocument, { username })));
  return profiles.map((profile) => profile.data!.user!.reputation);
}

describe('deletePost', () => {
  it("should give FORBIDDEN when deleting another user's post, which stays", async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    expect(problem(await server.gql(DeletePostDocument, { id: question.id }, bob.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(problem(await server.gql(DeletePostDocument, { id: posted.id }, alice.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect((await questionSnapshot(question.id)).answers.nodes.map((node) => node.id)).toEqual([posted.id]);
    expect((await server.gql(QuestionOrNullDocument, { id: question.id })).data?.question?.id).toBe(question.id);
  });

  it('should return the id of a deleted question, which then reads as null by question and node', async () => {
    const question = await ask(server, alice, { tags: ['supprime'] });
    const deleted = await server.gql(DeletePostDocument, { id: question.id }, alice.token);
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data).toEqual({ deletePost: question.id });
    expect(await server.gql(QuestionOrNullDocument, { id: question.id })).toMatchObject({ data: { question: null } });
    expect(await snapshot(question.id)).toBeNull();
    const tag = await server.gql(TagQuestionsDocument, { name: 'supprime' });
    expect(tag.data?.tag).toMatchObject({ questionCount: 0, questions: { totalCount: 0, nodes: [] } });
    expect(await server.drift()).toEqual([]);
  });

  it('should take a deleted answer out of its question, with the replies under it', async () => {
    const question = await ask(server, alice);
    const kept = await answer(server, bob, question.id, 'Je reste');
    const gone = await answer(server, bob, question.id, 'Je pars');
    const replies = [await reply(server, alice, gone.id, 'Première'), await reply(server, carol, gone.id, 'Seconde')];
    const deleted = await server.gql(DeletePostDocument, { id: gone.id }, bob.token);
    expect(deleted.data).toEqual({ deletePost: gone.id });
    const read = await questionSnapshot(question.id);
    expect(read.answerCount).toBe(1);
    expect(read.answers).toEqual({ totalCount: 1, nodes: [{ id: kept.id, isAccepted: false, replyCount: 0 }] });
    expect(await snapshot(gone.id)).toBeNull();
    for (const { id } of replies) expect(await snapshot(id)).toBeNull();
    const late = await server.gql(PostReplyDocument, { input: { answerId: gone.id, body: 'Trop tard' } }, carol.token);
    expect(problem(late)).toEqual({ code: 'NOT_FOUND' });
    expect(await server.drift()).toEqual([]);
  });

  it('should take a deleted reply out of its answer', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    const kept = await reply(server, alice, posted.id, 'Je reste');
    const gone = await reply(server, alice, posted.id, 'Je pars');
    expect((await server.gql(DeletePostDocument, { id: gone.id }, alice.token)).data).toEqual({ deletePost: gone.id });
    expect(await answerSnapshot(posted.id)).toMatchObject({
      replyCount: 1,
      replies: { totalCount: 1, nodes: [{ id: kept.id }] },
    });
    expect(await snapshot(gone.id)).toBeNull();
    expect(await server.drift()).toEqual([]);
  });

  it('should give NOT_FOUND when deleting a post twice, or editing or answering it once deleted', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    expect((await server.gql(DeletePostDocument, { id: posted.id }, bob.token)).errors).toBeUndefined();
    expect(problem(await server.gql(DeletePostDocument, { id: posted.id }, bob.token))).toEqual({ code: 'NOT_FOUND' });
    const edit = await server.gql(EditPostDocument, { input: { id: posted.id, body: 'Trop tard' } }, bob.token);
    expect(problem(edit)).toEqual({ code: 'NOT_FOUND' });
    expect((await server.gql(DeletePostDocument, { id: question.id }, alice.token)).errors).toBeUndefined();
    expect(problem(await server.gql(DeletePostDocument, { id: question.id }, alice.token))).toEqual({
      code: 'NOT_FOUND',
    });
    const late = await server.gql(
      PostAnswerDocument,
      { input: { questionId: question.id, body: 'Trop tard' } },
      bob.token,
    );
    expect(problem(late)).toEqual({ code: 'NOT_FOUND' });
    expect(await server.drift()).toEqual([]);
  });

  it('should clear acceptedAnswer when the accepted answer is deleted', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    expect((await server.gql(AcceptAnswerDocument, { answerId: posted.id }, alice.token)).errors).toBeUndefined();
    expect((await questionSnapshot(question.id)).acceptedAnswer).toEqual({ id: posted.id });
    expect((await server.gql(DeletePostDocument, { id: posted.id }, bob.token)).errors).toBeUndefined();
    expect(await questionSnapshot(question.id)).toMatchObject({
      acceptedAnswer: null,
      answerCount: 0,
      answers: { totalCount: 0, nodes: [] },
    });
    expect(await server.drift()).toEqual([]);
  });

  it("should take the scores of a deleted question and of everything under it off their authors' reputation", async () => {
    const dave = await server.signUp('Dave_posts');
    const question = await ask(server, dave);
    const posted = await answer(server, bob, question.id);
    const replied = await reply(server, carol, posted.id);
    await vote(server, alice, question.id, 'UP');
    await vote(server, alice, posted.id, 'UP');
    await vote(server, dave, posted.id, 'UP');
    await vote(server, alice, replied.id, 'DOWN');
    const reputations = await reputationsOf(['Dave_posts', 'Bob_posts', 'Carol_posts']);
    expect((await server.gql(DeletePostDocument, { id: question.id }, dave.token)).errors).toBeUndefined();
    expect(await reputationsOf(['Dave_posts', 'Bob_posts', 'Carol_posts'])).toEqual([
      reputations[0] - 1,
      reputations[1] - 2,
      reputations[2] + 1,
    ]);
    for (const id of [question.id, posted.id, replied.id]) expect(await snapshot(id)).toBeNull();
    expect(await server.drift()).toEqual([]);
  });

  it('should leave deleted posts out of questions and out of user(username){questions,answers}', async () => {
    const erin = await server.signUp('Erin_posts');
    const frank = await server.signUp('Frank_posts');
    const kept = await ask(server, erin, { title: 'Une question qui reste' });
    const gone = await ask(server, erin, { title: 'Une question qui part' });
    const keptAnswer = await answer(server, frank, kept.id, 'Réponse qui reste');
    const goneAnswer = await answer(server, frank, kept.id, 'Réponse qui part');
    const underGone = await answer(server, frank, gone.id, 'Réponse emportée avec sa question');
    const before = await questionIds();
    expect((await server.gql(DeletePostDocument, { id: gone.id }, erin.token)).errors).toBeUndefined();
    expect((await server.gql(DeletePostDocument, { id: goneAnswer.id }, frank.token)).errors).toBeUndefined();
    expect(await questionIds()).toEqual({
      totalCount: before.totalCount - 1,
      ids: before.ids.filter((id) => id !== gone.id),
    });
    const asker = await server.gql(UserPostsPageDocument, { username: 'Erin_posts' });
    expect(asker.data?.user?.questions).toMatchObject({ totalCount: 1, nodes: [{ id: kept.id }] });
    const answerer = await server.gql(UserPostsPageDocument, { username: 'Frank_posts' });
    expect(answerer.data?.user?.answers).toMatchObject({ totalCount: 1, nodes: [{ id: keptAnswer.id }] });
    expect(await snapshot(underGone.id)).toBeNull();
    expect(await server.drift()).toEqual([]);
  });
});
