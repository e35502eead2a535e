import { readFile } from 'node:fs/promises';
import type { Database } from '../db/database.js';
import type { PostRef } from '../ids.js';
import type { Services } from '../services/index.js';
import { parseSeedThread, type SeedPost } from './seed-thread.js';

/** The seed shows handles only, and its question has no title: these are our editorial choices. */
const demo = {
  questionAuthor: 'IngridSem',
  /** Drawn from the body's first sentence, without the greeting and the parenthesis. */
  title: 'Le Mouvement des entrepreneurs sociaux Midi-Pyrénées cherche à attirer des entrepreneurs sociaux',
  /** The seed's tag line reads "innovation réseau entrepreneuriat social": three tags, as slugs. */
  tags: ['innovation', 'reseau', 'entrepreneuriat-social'],
  tagLine: 'innovation réseau entrepreneuriat social',
  /** Named in the thread (@MarialyaBestougeff) without writing in it; a member, so the mention resolves. */
  extraMembers: ['MarialyaBestougeff'],
  /** "Il y a 9 ans": the thread is dated from here, one post every 47 minutes, in the seed's order. */
  start: Date.parse('2017-11-20T08:30:00.000Z'),
  step: 47 * 60 * 1000,
} as const;

/** The seed thread, kept beside this module (the build copies it); .ci/run checks it against ../shared. */
export const defaultSeedPath = new URL('./seed-thread.txt', import.meta.url);

/** True when the database holds no user yet. */
export async function isEmpty(db: Database): Promise<boolean> {
  const [{ empty }]: Array<{ empty: boolean }> = await db.query('SELECT NOT EXISTS (SELECT 1 FROM "user") AS empty');
  return empty;
}

/**
 * Imports the seed thread through the services, so every rule (counters, mentions, follows) holds:
 * its authors, the question, every answer and reply in order, and each post's score as real votes
 * from reader accounts (`lecteur01`…). Returns the question's row id.
 */
export async function importDemoThread(
  db: Database,
  services: Services,
  options: { seedPath?: URL | string; password: string },
): Promise<number> {
  const thread = parseSeedThread(await readFile(options.seedPath ?? defaultSeedPath, 'utf8'));
  if (thread.question.tagLine !== demo.tagLine) throw new Error(`unexpected tag line "${thread.question.tagLine}"`);
  const posts: SeedPost[] = thread.answers.flatMap((answer) => [answer, ...answer.replies]);
  const maxScore = Math.max(thread.question.score, ...posts.map((post) => post.score));
  const authors = [...new Set([demo.questionAuthor, ...posts.map((post) => post.author), ...demo.extraMembers])];
  const readers = Array.from({ length: maxScore }, (_, i) => `lecteur${String(i + 1).padStart(2, '0')}`);

  const ids = new Map<string, number>();
  for (const username of [...authors, ...readers]) {
    const user = await services.users.create({ username, displayName: username, password: options.password });
    ids.set(username, user.rowId);
  }
  const as = (username: string) => ({ userId: ids.get(username) as number });

  const question = await services.questions.ask(as(demo.questionAuthor), {
    title: demo.title,
    body: thread.question.body,
    tags: demo.tags,
  });
  const written: Array<PostRef & { score: number }> = [
    { rowId: question.rowId, kind: 'question', score: thread.question.score },
  ];
  for (const seedAnswer of thread.answers) {
    const answer = await services.answers.answer(as(seedAnswer.author), question.rowId, seedAnswer);
    written.push({ rowId: answer.rowId, kind: 'answer', score: seedAnswer.score });
    for (const seedReply of seedAnswer.replies) {
      const reply = await services.answers.reply(as(seedReply.author), answer.rowId, seedReply);
      written.push({ rowId: reply.rowId, kind: 'reply', score: seedReply.score });
    }
  }
  for (const post of written) {
    for (const reader of readers.slice(0, post.score)) await services.votes.vote(as(reader), post, 'UP');
  }
  for (const reader of readers.slice(0, thread.question.followerCount - 1)) {
    await services.questions.follow(as(reader), question.rowId, true);
  }
  await db.query(
    `UPDATE post p SET created_at = to_timestamp(($2 + (w.position - 1) * $3) / 1000.0),
       updated_at = to_timestamp(($2 + (w.position - 1) * $3) / 1000.0)
       FROM unnest($1::integer[]) WITH ORDINALITY AS w(id, position) WHERE p.id = w.id`,
    [written.map((post) => post.rowId), demo.start, demo.step],
  );
  await db.query(
    `UPDATE post SET last_activity_at = (SELECT max(created_at) FROM post WHERE id = $1 OR question_id = $1) WHERE id = $1`,
    [question.rowId],
  );
  return question.rowId;
}
