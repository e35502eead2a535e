import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseSeedThread } from '../src/demo/seed-thread.js';

// The project's copy of the shared seed thread (.ci/run checks it against ../shared when present).
const seedText = readFileSync(new URL('../src/demo/seed-thread.txt', import.meta.url), 'utf8');

describe('parseSeedThread', () => {
  const thread = parseSeedThread(seedText);
  const [firstAnswer, , oimociAnswer] = thread.answers;

  it('reads the question score, follower count and tag line', () => {
    expect(thread.question).toMatchObject({
      tagLine: 'innovation réseau entrepreneuriat social',
      score: 7,
      followerCount: 3,
    });
    expect(thread.question.body.startsWith('Bonjour à toutes et tous,\n')).toBe(true);
    expect(thread.question.body.endsWith('\n\nMerci !')).toBe(true);
  });

  it('groups the 16 posts into 4 answers with 1, 1, 10 and 0 replies', () => {
    expect(thread.answers.map((answer) => answer.replies.length)).toEqual([1, 1, 10, 0]);
  });

  it('keeps the authors of answers and replies in text order', () => {
    expect(thread.answers.map((answer) => [answer.author, answer.replies.map((reply) => reply.author)])).toEqual([
      ['Jean_Philippe_RYO', ['IngridSem']],
      ['RomainChambonnier', ['IngridSem']],
      [
        'oimoci',
        [
          'IngridSem',
          'ACTIBIZZ',
          'oimoci',
          'ArlitConseil',
          'IngridSem',
          'oimoci',
          'cyrildurand',
          'IngridSem',
          'CelineRobert',
          'IngridSem',
        ],
      ],
      ['SandrineBARBOTIN', []],
    ]);
  });

  it('takes a post score from its last line and keeps the body before it whole', () => {
    expect(firstAnswer?.score).toBe(12);
    expect(firstAnswer?.body.startsWith('Bonjour Ingrid...')).toBe(true);
    expect(firstAnswer?.body.endsWith('... et les aider à conclure :)')).toBe(true);
  });

  it('keeps the inner blank lines of a body', () => {
    const lines = oimociAnswer?.body.split('\n') ?? [];
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe("Ingrid, j'apprécie ton approche :)");
    expect([lines[1], lines[3], lines[5]]).toEqual(['', '', '']);
    expect(lines[6]).toBe(
      "Et si nous construisions des ponts entre ces deux mondes qui s'ignorent plutôt que de les opposer !",
    );
  });

  it("ends the oimoci answer with IngridSem's reply to ACTIBIZZ, scored 2", () => {
    const lastReply = oimociAnswer?.replies.at(-1);
    expect(lastReply?.author).toBe('IngridSem');
    expect(lastReply?.body.startsWith('Merci @ACTIBIZZ.')).toBe(true);
    expect(lastReply?.body.endsWith('\n\nA suivre...')).toBe(true);
    expect(lastReply?.score).toBe(2);
  });

  it('reads every score, summing to 47 over the 16 posts', () => {
    const posts = thread.answers.flatMap((answer) => [answer, ...answer.replies]);
    expect(posts.map((post) => post.score)).toEqual([12, 1, 4, 1, 3, 2, 5, 3, 2, 3, 1, 2, 1, 3, 2, 2]);
    expect(posts.reduce((sum, post) => sum + post.score, 0)).toBe(47);
  });

  it('ignores the site footer after the last score', () => {
    const lastAnswer = thread.answers.at(-1);
    expect(lastAnswer?.body.endsWith('Bonne continuation!\n\nSandrine')).toBe(true);
    expect(lastAnswer?.score).toBe(2);
  });

  it('normalizes CRLF line endings to the same result', () => {
    expect(parseSeedThread(seedText.replace(/\n/g, '\r\n'))).toEqual(thread);
  });

  it('throws when a post is missing, since the answer positions would no longer apply', () => {
    const removedPost = "il y a 9 ans par IngridSem\nmerci ! C'est une bonne idée. Je la soumettrai...\n1\n";
    expect(seedText).toContain(removedPost);
    expect(() => parseSeedThread(seedText.replace(removedPost, ''))).toThrow('expected 16 posts, found 15');
  });

  it('throws when the question has no "Merci !" line', () => {
    expect(() => parseSeedThread(seedText.replace('\nMerci !\n', '\nMerci.\n'))).toThrow('no "Merci !" line');
  });

  it('throws when a post has no score line', () => {
    const withoutScore = seedText.replace('à conclure :)\n12\n', 'à conclure :)\n');
    expect(withoutScore).not.toBe(seedText);
    expect(() => parseSeedThread(withoutScore)).toThrow('score of post 1 (Jean_Philippe_RYO)');
  });
});
