import { beforeAll, describe, expect, it } from '@jest/globals';
import { AskQuestionDocument, ThreadPageDocument } from '../schema/trusted-documents/graphql.js';
import type { TestServer } from './support/harness.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

describe('a thread', () => {
  it('should serve a question that was just asked', async () => {
    const { token } = await server.signUp();
    const asked = await server.gql(
      AskQuestionDocument,
      { input: { title: 'Comment attirer des entrepreneurs sociaux ?', body: 'Bonjour à tous', tags: ['Innovation'] } },
      token,
    );
    expect(asked.errors).toBeUndefined();
    const page = await server.gql(ThreadPageDocument, { id: asked.data!.askQuestion.id });
    expect(page.data?.question?.title).toBe('Comment attirer des entrepreneurs sociaux ?');
    expect(page.data?.question?.tags).toEqual([{ name: 'innovation' }]);
  });
});
