import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  DeletePostDocument,
  NodeDocument,
  NodesDocument,
  TagsDocument,
  ThreadPageDocument,
  ViewerDocument,
} from '../schema/trusted-documents/graphql.js';
import { ask, writeThread } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
/** One object of every Node type, by the id the API gave it. */
let ids: { user: string; question: string; answer: string; reply: string; tag: string };
let username: string;
let token: string;

/** Builds an id the way src/ids.ts does, for ids no API call can give. */
function globalId(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** The row id inside a global id (its format is documented: base64url of `Type:rowId`). */
function rowIdOf(id: string): string {
  return Buffer.from(id, 'base64url').toString().split(':')[1];
}

beforeAll(async () => {
  server = await startTestServer();
  ({ token, username } = await server.signUp());
  const viewer = await server.gql(ViewerDocument, {}, token);
  const thread = await writeThread(server, {
    asker: { token },
    answerer: { token },
    question: { title: 'Which ids does the API give?', body: 'Opaque ones, I hope.', tags: ['relay'] },
    answer: 'Global ones.',
    reply: 'Base64url, it seems.',
  });
  const tags = await server.gql(TagsDocument, { prefix: 'relay' });
  ids = {
    user: viewer.data!.viewer!.id,
    ...thread,
    tag: tags.data!.tags.nodes[0].id,
  };
});

describe('node(id)', () => {
  it.each([
    ['User', 'user'],
    ['Question', 'question'],
    ['Answer', 'answer'],
    ['Reply', 'reply'],
    ['Tag', 'tag'],
  ] as const)('should resolve a node of type %s with its __typename and the same id', async (typename, key) => {
    const response = await server.gql(NodeDocument, { id: ids[key] });
    expect(response.errors).toBeUndefined();
    expect(response.data!.node).toMatchObject({ __typename: typename, id: ids[key] });
  });

  it('should resolve each type to its own object', async () => {
    const [user, question, tag] = await Promise.all([
      server.gql(NodeDocument, { id: ids.user }),
      server.gql(NodeDocument, { id: ids.question }),
      server.gql(NodeDocument, { id: ids.tag }),
    ]);
    expect(user.data!.node).toEqual({ __typename: 'User', id: ids.user, username });
    expect(question.data!.node).toEqual({
      __typename: 'Question',
      id: ids.question,
      score: 0,
      title: 'Which ids does the API give?',
    });
    expect(tag.data!.node).toEqual({ __typename: 'Tag', id: ids.tag, name: 'relay' });
  });

  it('should give opaque ids that stay the same from one query to the next', async () => {
    for (const id of Object.values(ids)) expect(id).not.toMatch(/^[0-9]+$/);
    expect(new Set(Object.values(ids)).size).toBe(5);
    const page = await server.gql(ThreadPageDocument, { id: ids.question });
    const again = await server.gql(ThreadPageDocument, { id: ids.question });
    expect(page.data!.question!.id).toBe(ids.question);
    expect(page.data!.question!.answers.nodes[0].id).toBe(ids.answer);
    expect(page.data!.question!.answers.nodes[0].replies.nodes[0].id).toBe(ids.reply);
    expect(again.data).toEqual(page.data);
    const tags = await server.gql(TagsDocument, {});
    expect(tags.data!.tags.nodes.map((tag) => tag.id)).toEqual([ids.tag]);
  });

  it('should give null for an id of one type made from the row of another', async () => {
    const mismatched = [
      globalId(`Answer:${rowIdOf(ids.question)}`),
      globalId(`Reply:${rowIdOf(ids.answer)}`),
      globalId(`Question:${rowIdOf(ids.reply)}`),
    ];
    const responses = await Promise.all(mismatched.map((id) => server.gql(NodeDocument, { id })));
    for (const response of responses) expect(response).toEqual({ data: { node: null }, status: 200 });
  });

  it.each(['Question:999999', 'Answer:999999', 'Reply:999999', 'User:999999', 'Tag:999999'])(
    'should give null for the unknown %s',
    async (text) => {
      const response = await server.gql(NodeDocument, { id: globalId(text) });
      expect(response).toEqual({ data: { node: null }, status: 200 });
    },
  );

  it('should give null for a deleted post, through node and question', async () => {
    const { id } = await ask(
      server,
      { token },
      {
        title: 'A question about to go away',
        body: 'Soon deleted.',
        tags: ['relay'],
      },
    );
    expect((await server.gql(NodeDocument, { id })).data!.node).toMatchObject({ __typename: 'Question', id });
    const deleted = await server.gql(DeletePostDocument, { id }, token);
    expect(deleted).toEqual({ data: { deletePost: id }, status: 200 });
    expect(await server.gql(NodeDocument, { id })).toEqual({ data: { node: null }, status: 200 });
    expect(await server.gql(ThreadPageDocument, { id })).toEqual({ data: { question: null }, status: 200 });
    expect(await server.drift()).toEqual([]);
  });

  it.each([
    ['abc', 'abc'],
    ['!!!', '!!!'],
    ['the base64url of Nope:1', globalId('Nope:1')],
    ['the base64url of Question:0', globalId('Question:0')],
    ['the base64url of Question:-1', globalId('Question:-1')],
  ])('should give BAD_USER_INPUT for the malformed id %s', async (_case, id) => {
    const response = await server.gql(NodeDocument, { id });
    expect(response.data).toEqual({ node: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it("should give BAD_USER_INPUT to question(id) with an Answer's id", async () => {
    const response = await server.gql(ThreadPageDocument, { id: ids.answer });
    expect(response.data).toEqual({ question: null });
    expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('nodes(ids)', () => {
  it('should give the nodes in the order of the ids, with null for unknown ids', async () => {
    const unknown = globalId('Question:999999');
    const response = await server.gql(NodesDocument, {
      ids: [ids.reply, unknown, ids.user, ids.tag, ids.question, ids.answer, ids.reply],
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.nodes).toEqual([
      { __typename: 'Reply', id: ids.reply },
      null,
      { __typename: 'User', id: ids.user },
      { __typename: 'Tag', id: ids.tag },
      { __typename: 'Question', id: ids.question },
      { __typename: 'Answer', id: ids.answer },
      { __typename: 'Reply', id: ids.reply },
    ]);
  });

  it('should take 100 ids', async () => {
    const response = await server.gql(NodesDocument, { ids: Array.from({ length: 100 }, () => ids.question) });
    expect(response.errors).toBeUndefined();
    expect(response.data!.nodes).toHaveLength(100);
    expect(new Set(response.data!.nodes.map((node) => node?.id))).toEqual(new Set([ids.question]));
  });

  it('should give BAD_USER_INPUT for more than 100 ids', async () => {
    const response = await server.gql(NodesDocument, { ids: Array.from({ length: 101 }, () => ids.question) });
    expect(response.data).toBeNull();
    expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
  });
});
