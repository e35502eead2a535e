import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  AcceptAnswerDocument,
  AskQuestionDocument,
  DeletePostDocument,
  EditPostDocument,
  PostAnswerDocument,
  PostReplyDocument,
  PostSnapshotDocument,
  QuestionOrNullDocument,
  QuestionsDocument,
  TagQuestionsDocument,
  UnacceptAnswerDocument,
  UserPostsPageDocument,
  UserProfileDocument,
  VoteDocument,
  type PostSnapshotQuery,
} from './generated/operations.js';
import { answer, aQuestion, ask, reply, vote, type User } from './support/actions.js';
import type { Response, TestServer } from './support/harness.js';
import { globalId } from './support/ids.js';
import { problem } from './support/responses.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
let alice: User;
let bob: User;
let carol: User;

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.signUp('Alice_posts');
  bob = await server.signUp('Bob_posts');
  carol = await server.signUp('Carol_posts');
});

const REL = 'rel="nofollow noopener noreferrer"';

/** Every start tag in an HTML string (escaped text such as `&lt;img …&gt;` is not a tag). */
function startTags(html: string): string[] {
  return html.match(/<[a-z][^>]*>/gi) ?? [];
}

async function reputationsOf(usernames: string[]): Promise<number[]> {
  const profiles = await Promise.all(usernames.map((username) => server.gql(UserProfileDocument, { username })));
  return profiles.map((profile) => profile.data!.user!.reputation);
}

/** A post as anyone reads it now; null when absent or deleted. */
async function snapshot(id: string): Promise<PostSnapshotQuery['node']> {
  const response = await server.gql(PostSnapshotDocument, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.node;
}

async function questionSnapshot(id: string) {
  const node = await snapshot(id);
  if (node?.__typename !== 'Question') throw new Error(`expected a question, got ${JSON.stringify(node)}`);
  return node;
}

async function answerSnapshot(id: string) {
  const node = await snapshot(id);
  if (node?.__typename !== 'Answer') throw new Error(`expected an answer, got ${JSON.stringify(node)}`);
  return node;
}

async function questionIds(): Promise<{ totalCount: number; ids: string[] }> {
  const response = await server.gql(QuestionsDocument, { first: 100, orderBy: 'NEWEST' });
  expect(response.errors).toBeUndefined();
  const { totalCount, edges } = response.data!.questions;
  return { totalCount, ids: edges.map((edge) => edge.node.id) };
}

describe('asking a question', () => {
  it('should refuse a title shorter than 10 characters after trimming, naming the field and rule', async () => {
    const before = await questionIds();
    const response = await server.gql(
      AskQuestionDocument,
      { input: { ...aQuestion, title: `   ${'x'.repeat(9)}   ` } },
      alice.token,
    );
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'title', rule: 'length' });
    expect(response.data).toBeNull();
    expect(await questionIds()).toEqual(before);
  });

  it('should refuse a title longer than 200 characters', async () => {
    const response = await server.gql(
      AskQuestionDocument,
      { input: { ...aQuestion, title: 'x'.repeat(201) } },
      alice.token,
    );
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'title', rule: 'length' });
  });

  it('should accept titles of exactly 10 and 200 characters, storing them trimmed', async () => {
    expect((await ask(server, alice, { title: `  ${'a'.repeat(10)}  ` })).title).toBe('a'.repeat(10));
    expect((await ask(server, alice, { title: 'é'.repeat(200) })).title).toBe('é'.repeat(200));
  });

  it('should refuse an empty body, a body of blanks only and a body over 30,000 characters', async () => {
    const empty = await server.gql(AskQuestionDocument, { input: { ...aQuestion, body: '' } }, alice.token);
    expect(problem(empty)).toEqual({ code: 'BAD_USER_INPUT', field: 'body', rule: 'length' });
    const blank = await server.gql(AskQuestionDocument, { input: { ...aQuestion, body: ' \n\t  \n' } }, alice.token);
    expect(problem(blank)).toEqual({ code: 'BAD_USER_INPUT', field: 'body', rule: 'blank' });
    const long = await server.gql(
      AskQuestionDocument,
      { input: { ...aQuestion, body: 'x'.repeat(30_001) } },
      alice.token,
    );
    expect(problem(long)).toEqual({ code: 'BAD_USER_INPUT', field: 'body', rule: 'length' });
  });

  it('should accept a body of exactly 30,000 characters, counting characters rather than bytes', async () => {
    const body = 'é'.repeat(30_000);
    expect((await ask(server, alice, { body })).body).toBe(body);
  });

  it('should count characters outside the Basic Multilingual Plane as one each', async () => {
    const body = '😀'.repeat(20_000);
    const response = await server.gql(AskQuestionDocument, { input: { ...aQuestion, body } }, alice.token);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.askQuestion.body).toBe(body);
  });

  it('should refuse a request body over 100 KiB with 413 and a GraphQL error, even when its text is within the rules', async () => {
    // 30,000 emoji are 120,000 bytes of UTF-8: the HTTP limit comes first.
    const body = '😀'.repeat(30_000);
    const response = await server.gql(AskQuestionDocument, { input: { ...aQuestion, body } }, alice.token);
    expect(response.status).toBe(413);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('should refuse no tags and 6 tags, and accept 5', async () => {
    const none = await server.gql(AskQuestionDocument, { input: { ...aQuestion, tags: [] } }, alice.token);
    expect(problem(none)).toEqual({ code: 'BAD_USER_INPUT', field: 'tags', rule: 'count' });
    const six = ['un', 'deux', 'trois', 'quatre', 'cinq', 'six'];
    const tooMany = await server.gql(AskQuestionDocument, { input: { ...aQuestion, tags: six } }, alice.token);
    expect(problem(tooMany)).toEqual({ code: 'BAD_USER_INPUT', field: 'tags', rule: 'count' });
    const five = await ask(server, alice, { tags: six.slice(0, 5) });
    expect(five.tags.map((tag) => tag.name)).toEqual(['un', 'deux', 'trois', 'quatre', 'cinq']);
  });

  it('should refuse a tag holding a space, an accented letter or an underscore', async () => {
    for (const tag of ['economie sociale', 'économie', 'economie_sociale']) {
      const response = await server.gql(AskQuestionDocument, { input: { ...aQuestion, tags: [tag] } }, alice.token);
      expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'tags', rule: 'pattern' });
    }
  });

  it('should trim, lower-case and deduplicate tags before counting them', async () => {
    const question = await ask(server, alice, { tags: [' Innovation ', 'innovation'] });
    expect(question.tags).toEqual([{ name: 'innovation', questionCount: 1 }]);
    const deduplicated = await ask(server, alice, { tags: ['a1', 'A1', 'b2', 'c3', 'd4', 'e5'] });
    expect(deduplicated.tags.map((tag) => tag.name)).toEqual(['a1', 'b2', 'c3', 'd4', 'e5']);
  });
});

describe('answering and replying', () => {
  it('should answer a question by its id', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id, 'Essayez le financement participatif.');
    expect(posted).toMatchObject({
      __typename: 'Answer',
      body: 'Essayez le financement participatif.',
      isAccepted: false,
      replyCount: 0,
      author: { username: 'Bob_posts' },
      question: { id: question.id, answerCount: 1 },
    });
  });

  it("should give BAD_USER_INPUT naming questionId when answering an answer's id", async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    const response = await server.gql(
      PostAnswerDocument,
      { input: { questionId: posted.id, body: 'Non.' } },
      bob.token,
    );
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'questionId', rule: 'idType' });
    expect((await questionSnapshot(question.id)).answerCount).toBe(1);
  });

  it('should give NOT_FOUND when answering a question that does not exist', async () => {
    const response = await server.gql(
      PostAnswerDocument,
      { input: { questionId: globalId('Question', 999_999), body: 'Personne ne lira ceci.' } },
      bob.token,
    );
    expect(problem(response)).toEqual({ code: 'NOT_FOUND' });
  });

  it("should give BAD_USER_INPUT naming answerId when replying to a question's id", async () => {
    const question = await ask(server, alice);
    const response = await server.gql(PostReplyDocument, { input: { answerId: question.id, body: 'Non.' } }, bob.token);
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'answerId', rule: 'idType' });
  });

  it('should give UNAUTHENTICATED for every write without a token, and write nothing', async () => {
    const question = await ask(server, alice);
    const posted = await answer(server, bob, question.id);
    const before = await questionIds();
    const attempts: Array<Promise<Response<unknown>>> = [
      server.gql(AskQuestionDocument, { input: aQuestion }),
      server.gql(PostAnswerDocument, { input: { questionId: question.id, body: 'Anonyme' } }),
      server.gql(PostReplyDocument, { input: { answerId: posted.id, body: 'Anonyme' } }),
      server.gql(EditPostDocument, { input: { id: question.id, body: 'Anonyme' } }),
      server.gql(DeletePostDocument, { id: question.id }),
      server.gql(AcceptAnswerDocument, { answerId: posted.id }),
      server.gql(UnacceptAnswerDocument, { questionId: question.id }),
      server.gql(VoteDocument, { input: { targetId: posted.id, value: 'UP' } }),
    ];
    for (const response of await Promise.all(attempts)) expect(problem(response)).toEqual({ code: 'UNAUTHENTICATED' });
    expect(await questionIds()).toEqual(before);
    expect(await questionSnapshot(question.id)).toMatchObject({ body: aQuestion.body, answerCount: 1 });
    expect(await answerSnapshot(posted.id)).toMatchObject({ replyCount: 0, score: 0, isAccepted: false });
  });
});

describe('bodyHTML', () => {
  it('should render Markdown', async () => {
    const question = await ask(server, alice, { body: '**gras** et *italique*' });
    expect(question.bodyHTML).toBe('<p><strong>gras</strong> et <em>italique</em></p>\n');
  });

  it('should never give a script tag, an img tag or a javascript: link', async () => {
    const question = await ask(server, alice, { body: '<script>alert(1)</script>' });
    expect(startTags(question.bodyHTML)).toEqual(['<p>']);
    expect(question.bodyHTML).not.toMatch(/<script/i);
    const image = await answer(server, bob, question.id, '<img src=x onerror=alert(1)>');
    expect(startTags(image.bodyHTML)).toEqual(['<p>']);
    expect(image.bodyHTML).not.toMatch(/<img/i);
    const link = await answer(server, bob, question.id, '[x](javascript:alert(1))');
    expect(link.bodyHTML).not.toMatch(/href\s*=\s*["']?\s*javascript:/i);
    expect(startTags(link.bodyHTML).filter((tag) => tag.startsWith('<a'))).toEqual([]);
  });

  it('should link a bare www address with rel nofollow noopener noreferrer', async () => {
    const question = await ask(server, alice, { body: "Voir www.avise.org/annuaire pour l'annuaire." });
    expect(startTags(question.bodyHTML)).toEqual(['<p>', `<a ${REL} href="http://www.avise.org/annuaire">`]);
    expect(question.bodyHTML).toContain('>www.avise.org/annuaire</a>');
  });

  it("should link an existing user's @username and list them in mentions; an unknown @nobody stays text", async () => {
    const question = await ask(server, alice, { body: 'Merci @carol_posts et @nobody !' });
    expect(question.bodyHTML).toBe(
      `<p>Merci <a ${REL} href="/users/Carol_posts" class="mention">@carol_posts</a> et @nobody !</p>\n`,
    );
    expect(question.mentions).toEqual([{ username: 'Carol_posts' }]);
  });

  it('should give the body back exactly as written', async () => {
    const body = '  Première ligne  \n\n* un point\n*   deux\n\n```\ncode  \n```\n\n';
    const question = await ask(server, alice, { body });
    expect(question.body).toBe(body);
    expect((await questionSnapshot(question.id)).body).toBe(body);
  });
});

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

describe('acceptAnswer', () => {
  async function thread() {
    const question = await ask(server, alice);
    const first = await answer(server, bob, question.id, 'Première réponse');
    const second = await answer(server, carol, question.id, 'Seconde réponse');
    return { question, first, second };
  }

  function accepted(question: Awaited<ReturnType<typeof questionSnapshot>>): string[] {
    return question.answers.nodes.filter((node) => node.isAccepted).map((node) => node.id);
  }

  it("should let the question's author accept an answer", async () => {
    const { question, first } = await thread();
    const response = await server.gql(AcceptAnswerDocument, { answerId: first.id }, alice.token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.acceptAnswer).toEqual({
      id: question.id,
      acceptedAnswer: { id: first.id, isAccepted: true },
    });
    expect(accepted(await questionSnapshot(question.id))).toEqual([first.id]);
    expect(await server.drift()).toEqual([]);
  });

  it("should give FORBIDDEN to another user, even the answer's author, and UNAUTHENTICATED anonymously", async () => {
    const { question, first } = await thread();
    expect(problem(await server.gql(AcceptAnswerDocument, { answerId: first.id }, bob.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(problem(await server.gql(AcceptAnswerDocument, { answerId: first.id }, carol.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect(problem(await server.gql(AcceptAnswerDocument, { answerId: first.id }))).toEqual({
      code: 'UNAUTHENTICATED',
    });
    const read = await questionSnapshot(question.id);
    expect(read.acceptedAnswer).toBeNull();
    expect(accepted(read)).toEqual([]);
  });

  it('should move the mark when another answer is accepted, so exactly one answer is accepted', async () => {
    const { question, first, second } = await thread();
    expect((await server.gql(AcceptAnswerDocument, { answerId: first.id }, alice.token)).errors).toBeUndefined();
    const moved = await server.gql(AcceptAnswerDocument, { answerId: second.id }, alice.token);
    expect(moved.data?.acceptAnswer.acceptedAnswer).toEqual({ id: second.id, isAccepted: true });
    const read = await questionSnapshot(question.id);
    expect(read.acceptedAnswer).toEqual({ id: second.id });
    expect(accepted(read)).toEqual([second.id]);
    expect((await answerSnapshot(first.id)).isAccepted).toBe(false);
    const again = await server.gql(AcceptAnswerDocument, { answerId: second.id }, alice.token);
    expect(again.data?.acceptAnswer.acceptedAnswer).toEqual({ id: second.id, isAccepted: true });
  });

  it('should clear the mark with unacceptAnswer, idempotently, and only for the question author', async () => {
    const { question, first } = await thread();
    expect((await server.gql(AcceptAnswerDocument, { answerId: first.id }, alice.token)).errors).toBeUndefined();
    expect(problem(await server.gql(UnacceptAnswerDocument, { questionId: question.id }, bob.token))).toEqual({
      code: 'FORBIDDEN',
    });
    expect((await questionSnapshot(question.id)).acceptedAnswer).toEqual({ id: first.id });
    for (let i = 0; i < 2; i++) {
      const response = await server.gql(UnacceptAnswerDocument, { questionId: question.id }, alice.token);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ unacceptAnswer: { id: question.id, acceptedAnswer: null } });
    }
    const read = await questionSnapshot(question.id);
    expect(read.acceptedAnswer).toBeNull();
    expect(accepted(read)).toEqual([]);
  });

  it('should give BAD_USER_INPUT naming answerId when accepting a question id', async () => {
    const { question } = await thread();
    const response = await server.gql(AcceptAnswerDocument, { answerId: question.id }, alice.token);
    expect(problem(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'answerId', rule: 'idType' });
    expect(await server.drift()).toEqual([]);
  });
});
