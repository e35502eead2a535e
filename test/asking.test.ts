import { describe, expect, it } from '@jest/globals';
import { AskQuestionDocument } from '../schema/trusted-documents/graphql.js';
import { aQuestion, ask } from './support/actions.js';
import { alice, questionIds, server, usePostsServer } from './support/posts.js';
import { problem } from './support/responses.js';

usePostsServer();

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
