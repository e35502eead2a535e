import { beforeAll, expect } from '@jest/globals';
import { AskQuestionDocument, PostAnswerDocument } from '../../schema/trusted-documents/graphql.js';
import type { User } from './actions.js';
import type { TestServer } from './harness.js';
import { startTestServer } from './servers.js';

/*
 * The shared setup of the moderation suites: one server a file, the people who write, flag and
 * moderate in it, and the one-line writes their tests make.
 */

/** The file's server, started by `useModerationServer`. */
export let server: TestServer;
export let asker: User;
export let answerer: User;
export let moderator: User;
/** Eight members who flag (three flags hide a post). */
export let members: User[];

/** Gives a user a role before their token's first request, so no process has their session yet. */
export async function make(role: 'MODERATOR' | 'ADMIN', user: User): Promise<User> {
  await server.db.query('UPDATE "user" SET role = $2 WHERE id = $1', [user.userId, role]);
  return user;
}

/** Starts `server` and signs the asker, answerer, moderator and members up before the file's tests. */
export function useModerationServer(): void {
  beforeAll(async () => {
    server = await startTestServer();
    [asker, answerer] = await Promise.all(['Asker_mod', 'Answerer_mod'].map((name) => server.signUp(name)));
    moderator = await make('MODERATOR', await server.signUp('Moderator_mod'));
    members = await Promise.all(Array.from({ length: 8 }, (_, i) => server.signUp(`Flagger_mod_${i}`)));
  });
}

export async function ask(title = 'Comment modérer un fil ?'): Promise<string> {
  const asked = await server.gql(
    AskQuestionDocument,
    { input: { title, body: 'La question.', tags: ['moderation'] } },
    asker.token,
  );
  return asked.data!.askQuestion.id;
}

export async function answer(questionId: string, by = answerer): Promise<string> {
  const answered = await server.gql(PostAnswerDocument, { input: { questionId, body: 'Une réponse.' } }, by.token);
  expect(answered.errors).toBeUndefined();
  return answered.data!.postAnswer.id;
}
