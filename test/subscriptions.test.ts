import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import {
  AnswerAddedDocument,
  AskQuestionDocument,
  PostAnswerDocument,
  ThreadEventsDocument,
} from './generated/operations.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { watch, wsClient } from './support/ws.js';

let server: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await server.close();
});

async function askAs(token: string): Promise<string> {
  const asked = await server.gql(
    AskQuestionDocument,
    { input: { title: 'Comment attirer des entrepreneurs ?', body: 'Bonjour', tags: ['reseau'] } },
    token,
  );
  return asked.data!.askQuestion.id;
}

describe('answerAdded', () => {
  it('should push an answer posted in the thread, resolved for the watcher', async () => {
    const asker = await server.signUp();
    const answerer = await server.signUp();
    const questionId = await askAs(asker.token);
    const client = wsClient(server.url, answerer.token);
    clients.push(client);
    const watching = watch(client, AnswerAddedDocument, { questionId });
    const events = watch(client, ThreadEventsDocument, { questionId });
    await new Promise((ready) => setTimeout(ready, 200));
    await server.gql(PostAnswerDocument, { input: { questionId, body: 'Une réponse' } }, answerer.token);
    const [answer] = await watching.next(1);
    expect(answer.data?.answerAdded).toMatchObject({ body: 'Une réponse', viewerCanEdit: true });
    const [event] = await events.next(1);
    expect(event.data?.threadEvents).toMatchObject({ kind: 'ANSWER_ADDED', post: { body: 'Une réponse' } });
  });
});
