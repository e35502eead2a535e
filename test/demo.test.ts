import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { importDemoThread } from '../src/demo/import-demo.js';
import { parseSeedThread } from '../src/demo/seed-thread.js';
import { ThreadPageDocument } from '../schema/trusted-documents/graphql.js';
import { startTestServer, type TestServer } from './support/harness.js';

const seed = parseSeedThread(readFileSync(new URL('../src/demo/seed-thread.txt', import.meta.url), 'utf8'));

/** The first ```graphql block of the README's "The demo thread" section. */
function readmeDemoQuery(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## The demo thread'));
  const match = /```graphql\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no graphql block under "The demo thread"');
  return match[1];
}

let server: TestServer;
let questionId: string;
beforeAll(async () => {
  server = await startTestServer();
  const rowId = await importDemoThread(server.db, server.services, { password: 'demo-password' });
  questionId = Buffer.from(`Question:${rowId}`).toString('base64url');
});
afterAll(() => server.close());

describe('the demo thread', () => {
  it('should hold the question with its title, tags, score, followers and author', async () => {
    const { data } = await server.gql(ThreadPageDocument, { id: questionId });
    expect(data?.question).toMatchObject({
      title: 'Le Mouvement des entrepreneurs sociaux Midi-Pyrénées cherche à attirer des entrepreneurs sociaux',
      body: seed.question.body,
      score: 7,
      followerCount: 3,
      answerCount: 4,
      author: { username: 'IngridSem' },
      tags: [{ name: 'innovation' }, { name: 'reseau' }, { name: 'entrepreneuriat-social' }],
    });
  });

  it('should hold every answer and reply in the seed order, with its author, text and score', async () => {
    const { data } = await server.gql(ThreadPageDocument, { id: questionId, answers: 10, replies: 20 });
    const answers = data!.question!.answers.nodes;
    // TOP order: by score, so sort the seed the same way (no ties among the seed's answers).
    const expected = [...seed.answers].sort((a, b) => b.score - a.score);
    expect(answers.map((answer) => [answer.author.username, answer.score, answer.body])).toEqual(
      expected.map((answer) => [answer.author, answer.score, answer.body]),
    );
    answers.forEach((answer, i) => {
      expect(answer.replies.nodes.map((reply) => [reply.author.username, reply.score, reply.body])).toEqual(
        expected[i].replies.map((reply) => [reply.author, reply.score, reply.body]),
      );
    });
  });

  it('should back every score by real vote rows, with reputations to match', async () => {
    const [{ votes }]: Array<{ votes: number }> = await server.db.query('SELECT count(*)::integer AS votes FROM vote');
    const scores = [seed.question.score, ...seed.answers.flatMap((a) => [a.score, ...a.replies.map((r) => r.score)])];
    expect(votes).toBe(scores.reduce((sum, score) => sum + score, 0));
    expect(await server.drift()).toEqual([]);
  });

  it('should resolve @mentions of members and link bare URLs', async () => {
    const { data } = await server.gql(ThreadPageDocument, { id: questionId, answers: 10, replies: 20 });
    const replies = data!.question!.answers.nodes.flatMap((answer) => answer.replies.nodes);
    const celine = replies.find((reply) => reply.author.username === 'CelineRobert')!;
    expect(celine.mentions.map((user) => user.username)).toEqual([
      'oimoci',
      'cyrildurand',
      'IngridSem',
      'MarialyaBestougeff',
    ]);
    const actibizz = replies.find((reply) => reply.author.username === 'ACTIBIZZ')!;
    expect(actibizz.mentions.map((user) => user.username)).toEqual(['Jean_Philippe_RYO']);
    expect(actibizz.bodyHTML).toContain('@ruchequiditoui');
    expect(actibizz.bodyHTML).not.toMatch(/href="[^"]*ruchequiditoui/);
    expect(actibizz.bodyHTML).toContain(
      '(<a rel="nofollow noopener noreferrer" href="http://www.lamiel.org">www.lamiel.org</a>)',
    );
  });

  it("should answer the README's demo query verbatim", async () => {
    const response = await server.post({ query: readmeDemoQuery() });
    expect(response.errors).toBeUndefined();
    const { questions } = response.data as {
      questions: { nodes: Array<{ title: string; answers: { totalCount: number } }> };
    };
    expect(questions.nodes).toHaveLength(1);
    expect(questions.nodes[0].answers.totalCount).toBe(4);
  });

  it('should let a demo member sign in with the demo password', async () => {
    const signedIn = await server.services.users.logIn({ username: 'ingridsem', password: 'demo-password' });
    expect(signedIn.user.username).toBe('IngridSem');
  });
});
