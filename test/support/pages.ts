import { beforeAll, expect } from '@jest/globals';
import { AnswersDocument, type AnswerOrder, type AnswersQuery } from '../../schema/trusted-documents/graphql.js';
import { answer, vote, type User } from './actions.js';
import type { TestServer } from './harness.js';
import { startTestServer } from './servers.js';

/*
 * The shared setup of the pagination suites: one server a file, an asker, an answerer and voters
 * known by name, and the writes and reads that build and walk pages.
 */

export type AnswerPage = NonNullable<AnswersQuery['question']>['answers'];

/** The file's server, started by `usePagesServer`. */
export let server: TestServer;
export let asker: User;
export let answerer: User;
/** Users who vote, so that scores can be set: none of them writes posts. */
export let voters: User[];

/** Starts `server` and signs the asker, the answerer and the voters up before the file's tests. */
export function usePagesServer(): void {
  beforeAll(async () => {
    server = await startTestServer();
    asker = await server.signUp('Asker_pages');
    answerer = await server.signUp('Answerer_pages');
    voters = [await server.signUp('Voter1_pages'), await server.signUp('Voter2_pages'), await server.signUp()];
  });
}

/** Gives a post of score 0 the score `score` (-3..3), one vote per voter. */
export async function setScore(targetId: string, score: number): Promise<void> {
  for (const voter of voters.slice(0, Math.abs(score))) await vote(server, voter, targetId, score > 0 ? 'UP' : 'DOWN');
}

/** `count` answers to `questionId`, written one after another (so oldest first). */
export async function answers(questionId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await answer(server, answerer, questionId, `Réponse ${i}`)).id);
  return ids;
}

export async function answerPage(
  id: string,
  orderBy: AnswerOrder,
  first: number,
  after: string | null,
): Promise<AnswerPage> {
  const response = await server.gql(AnswersDocument, { id, first, after, orderBy });
  expect(response.errors).toBeUndefined();
  return response.data!.question!.answers;
}
