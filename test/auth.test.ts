import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  AcceptAnswerDocument,
  AskQuestionDocument,
  DeletePostDocument,
  EditPostDocument,
  FollowQuestionDocument,
  LogInDocument,
  LogOutDocument,
  PostAnswerDocument,
  PostReplyDocument,
  QuestionsDocument,
  SignUpDocument,
  ThreadPageDocument,
  UnacceptAnswerDocument,
  ViewerDocument,
  VoteDocument,
} from '../schema/trusted-documents/graphql.js';
import { writeThread, type ThreadIds } from './support/actions.js';
import type { Response, TestServer } from './support/harness.js';
import { startTestServer } from './support/servers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const password = 'correct horse battery';

/** The `extensions` of the first error, which every failing case here must have. */
function firstError(response: Response<unknown>): Record<string, unknown> | undefined {
  return response.errors?.[0]?.extensions;
}

/** Sends `{ viewer }` with a raw Authorization header. */
function viewerWith(authorization: string): Promise<Response<unknown>> {
  return server.post({ query: '{ viewer { id } }' }, { authorization });
}

describe('signUp', () => {
  it('should return a random base64url token of at least 128 bits and the user, different on each sign-up', async () => {
    const first = await server.gql(SignUpDocument, { input: { username: 'Amara_K', displayName: 'Amara', password } });
    const second = await server.gql(SignUpDocument, { input: { username: 'Bilal_K', displayName: 'Bilal', password } });
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const token = first.data!.signUp.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(token, 'base64url').toString('base64url')).toBe(token);
    expect(second.data!.signUp.token).not.toBe(token);
    expect(first.data!.signUp.user).toEqual({
      id: expect.any(String),
      username: 'Amara_K',
      displayName: 'Amara',
      reputation: 0,
    });
    expect(second.data!.signUp.user.id).not.toBe(first.data!.signUp.user.id);
  });

  it('should give a token that makes the viewer the new user as Authorization: Bearer', async () => {
    const signed = await server.gql(SignUpDocument, { input: { username: 'Chidi_O', displayName: 'Chidi', password } });
    const viewer = await server.gql(ViewerDocument, {}, signed.data!.signUp.token);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data!.viewer).toEqual({ id: signed.data!.signUp.user.id, username: 'Chidi_O' });
  });

  it('should make the viewer null without an Authorization header', async () => {
    const viewer = await server.gql(ViewerDocument, {});
    expect(viewer).toEqual({ data: { viewer: null }, status: 200 });
  });

  it('should store only a hash of the token, in no column equal to the token', async () => {
    const signed = await server.gql(SignUpDocument, { input: { username: 'Dagny_T', displayName: 'Dagny', password } });
    const token = signed.data!.signUp.token;
    const rows: Array<Record<string, unknown>> = await server.db.query(
      'SELECT s.* FROM session s JOIN "user" u ON u.id = s.user_id WHERE u.username = $1',
      ['Dagny_T'],
    );
    expect(rows).toHaveLength(1);
    const stored = Object.values(rows[0]).flatMap((value) =>
      Buffer.isBuffer(value)
        ? [value.toString(), value.toString('base64url'), value.toString('base64'), value.toString('hex')]
        : [String(value)],
    );
    expect(stored).not.toContain(token);
    expect(stored.some((value) => value.includes(token))).toBe(false);
  });

  it('should store the password as an argon2id hash', async () => {
    await server.gql(SignUpDocument, { input: { username: 'Emeka_N', displayName: 'Emeka', password } });
    const [row]: Array<{ password_hash: string }> = await server.db.query(
      'SELECT password_hash FROM "user" WHERE username = $1',
      ['Emeka_N'],
    );
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(row.password_hash).not.toContain(password);
  });

  it('should expose no password or hash field in the schema', async () => {
    const response = (await server.post({
      query: `{
        user: __type(name: "User") { fields { name } }
        schema: __schema { types { name fields { name } } }
      }`,
    })) as Response<{
      user: { fields: Array<{ name: string }> };
      schema: { types: Array<{ name: string; fields: Array<{ name: string }> | null }> };
    }>;
    expect(response.errors).toBeUndefined();
    const userFields = response.data!.user.fields.map((field) => field.name);
    expect(userFields).toContain('username');
    expect(userFields.filter((name) => /password|hash|token/i.test(name))).toEqual([]);
    const secretFields = response.data!.schema.types.flatMap((type) =>
      (type.fields ?? []).map((field) => `${type.name}.${field.name}`).filter((name) => /password|hash/i.test(name)),
    );
    expect(secretFields).toEqual([]);
  });

  it.each([
    ['a username of 2 characters', { username: 'ab' }, 'username', 'length'],
    ['a username of 31 characters', { username: 'a'.repeat(31) }, 'username', 'length'],
    ['a username with -', { username: 'jean-luc' }, 'username', 'pattern'],
    ['a username with é', { username: 'andré' }, 'username', 'pattern'],
    ['a password of 7 characters', { password: 'seven77' }, 'password', 'length'],
    ['an empty displayName', { displayName: '' }, 'displayName', 'length'],
  ])('should refuse %s with BAD_USER_INPUT naming the field and rule', async (_case, change, field, rule) => {
    const input = { username: 'Valid_Name', displayName: 'Valid', password, ...change };
    const response = await server.gql(SignUpDocument, { input });
    expect(response.data).toBeNull();
    expect(firstError(response)).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    const [{ count }]: Array<{ count: number }> = await server.db.query(
      'SELECT count(*)::int AS count FROM "user" WHERE lower(username) = lower($1)',
      [input.username],
    );
    expect(count).toBe(0);
  });

  it('should refuse a username taken in another case with rule unique', async () => {
    const taken = await server.gql(SignUpDocument, { input: { username: 'Ingrid', displayName: 'Ingrid', password } });
    expect(taken.errors).toBeUndefined();
    const response = await server.gql(SignUpDocument, {
      input: { username: 'ingrid', displayName: 'Other', password },
    });
    expect(response.data).toBeNull();
    expect(firstError(response)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username', rule: 'unique' });
    const rows: unknown[] = await server.db.query(`SELECT id FROM "user" WHERE lower(username) = 'ingrid'`);
    expect(rows).toHaveLength(1);
  });
});

describe('logIn', () => {
  beforeAll(async () => {
    await server.gql(SignUpDocument, { input: { username: 'Karim_L', displayName: 'Karim', password } });
  });

  it('should give a new working token for the right password', async () => {
    const first = await server.gql(LogInDocument, { input: { username: 'Karim_L', password } });
    const second = await server.gql(LogInDocument, { input: { username: 'Karim_L', password } });
    expect(first.errors).toBeUndefined();
    expect(first.data!.logIn.user.username).toBe('Karim_L');
    expect(second.data!.logIn.token).not.toBe(first.data!.logIn.token);
    const viewer = await server.gql(ViewerDocument, {}, first.data!.logIn.token);
    expect(viewer.data!.viewer).toEqual(first.data!.logIn.user);
  });

  it('should accept the username in any case', async () => {
    const response = await server.gql(LogInDocument, { input: { username: 'kARIM_l', password } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.logIn.user.username).toBe('Karim_L');
  });

  it('should give the same UNAUTHENTICATED error for a wrong password and an unknown user', async () => {
    const wrongPassword = await server.gql(LogInDocument, {
      input: { username: 'Karim_L', password: 'not it at all' },
    });
    const unknownUser = await server.gql(LogInDocument, { input: { username: 'Nobody_Here', password } });
    expect(wrongPassword.data).toBeNull();
    expect(unknownUser.data).toBeNull();
    expect(firstError(wrongPassword)?.code).toBe('UNAUTHENTICATED');
    expect(firstError(unknownUser)?.code).toBe('UNAUTHENTICATED');
    expect(unknownUser.errors![0].message).toBe(wrongPassword.errors![0].message);
    expect(unknownUser.status).toBe(wrongPassword.status);
  });
});

describe('logOut', () => {
  it('should revoke the token at once on every request while another session of the user keeps working', async () => {
    const { token, username } = await server.signUp();
    const other = await server.gql(LogInDocument, { input: { username, password: 'password123' } });
    const otherToken = other.data!.logIn.token;

    const loggedOut = await server.gql(LogOutDocument, {}, token);
    expect(loggedOut).toEqual({ data: { logOut: true }, status: 200 });

    const afterwards = [
      await server.gql(ViewerDocument, {}, token),
      await server.gql(QuestionsDocument, {}, token),
      await server.gql(
        AskQuestionDocument,
        { input: { title: 'Is this token still good?', body: 'It should not be.', tags: ['auth'] } },
        token,
      ),
      await server.gql(LogOutDocument, {}, token),
    ];
    for (const response of afterwards) {
      expect(response.status).toBe(401);
      expect(firstError(response)?.code).toBe('UNAUTHENTICATED');
      expect(response.data ?? null).toBeNull();
    }
    const [{ count }]: Array<{ count: number }> = await server.db.query(
      `SELECT count(*)::int AS count FROM post WHERE title = 'Is this token still good?'`,
    );
    expect(count).toBe(0);

    const stillSignedIn = await server.gql(ViewerDocument, {}, otherToken);
    expect(stillSignedIn.errors).toBeUndefined();
    expect(stillSignedIn.data!.viewer?.username).toBe(username);
  });

  it('should give UNAUTHENTICATED to an anonymous logOut', async () => {
    const response = await server.gql(LogOutDocument, {});
    expect(response.data).toBeNull();
    expect(firstError(response)?.code).toBe('UNAUTHENTICATED');
  });
});

describe('a token that does not sign in', () => {
  it('should give UNAUTHENTICATED with status 401 for a forged token', async () => {
    const response = await viewerWith(`Bearer ${randomBytes(32).toString('base64url')}`);
    expect(response.status).toBe(401);
    expect(firstError(response)?.code).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
  });

  it.each(['Bearer', 'Basic abc', 'Bearer a b'])(
    'should give UNAUTHENTICATED with status 401 for the malformed header "%s"',
    async (authorization) => {
      const response = await viewerWith(authorization);
      expect(response.status).toBe(401);
      expect(firstError(response)?.code).toBe('UNAUTHENTICATED');
      expect(response.data ?? null).toBeNull();
    },
  );

  it('should give UNAUTHENTICATED with status 401 for an expired session', async () => {
    const { token, userId } = await server.signUp();
    await server.db.query(`UPDATE session SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [userId]);
    const response = await server.gql(ViewerDocument, {}, token);
    expect(response.status).toBe(401);
    expect(firstError(response)?.code).toBe('UNAUTHENTICATED');
  });

  it('should give UNAUTHENTICATED once the session expires, though the server kept it after reading it', async () => {
    const { token, userId } = await server.signUp();
    // No API shortens a session: make this one end in 1.5 s, by hand, before its first use.
    await server.db.query(`UPDATE session SET expires_at = now() + interval '1.5 seconds' WHERE user_id = $1`, [
      userId,
    ]);
    const [{ left }]: Array<{ left: number }> = await server.db.query(
      `SELECT extract(epoch FROM expires_at - now()) * 1000 AS left FROM session WHERE user_id = $1`,
      [userId],
    );
    expect((await server.gql(ViewerDocument, {}, token)).data?.viewer?.username).toEqual(expect.any(String));
    await new Promise((tick) => setTimeout(tick, Number(left) + 100));
    const response = await server.gql(ViewerDocument, {}, token);
    expect(response.status).toBe(401);
    expect(firstError(response)?.code).toBe('UNAUTHENTICATED');
  });
});

describe('anonymous requests', () => {
  let ids: ThreadIds;

  beforeAll(async () => {
    const asker = await server.signUp();
    const answerer = await server.signUp();
    ids = await writeThread(server, {
      asker,
      answerer,
      question: { title: 'Can anyone read this thread?', body: 'Without signing in.', tags: ['access'] },
      answer: 'Yes, reading is public.',
      reply: 'Thanks!',
    });
  });

  it('should let an anonymous reader read a thread', async () => {
    const page = await server.gql(ThreadPageDocument, { id: ids.question });
    expect(page.errors).toBeUndefined();
    expect(page.data!.question).toMatchObject({
      id: ids.question,
      title: 'Can anyone read this thread?',
      viewerVote: null,
      viewerCanEdit: false,
      viewerIsFollowing: false,
      answerCount: 1,
    });
    const [answer] = page.data!.question!.answers.nodes;
    expect(answer.id).toBe(ids.answer);
    expect(answer.replies.nodes.map((reply) => reply.id)).toEqual([ids.reply]);
  });

  it('should give UNAUTHENTICATED to every writing mutation without a token, and change nothing', async () => {
    const before = await server.gql(ThreadPageDocument, { id: ids.question });
    const responses: Record<string, Response<unknown>> = {
      askQuestion: await server.gql(AskQuestionDocument, {
        input: { title: 'An anonymous question here', body: 'Hello', tags: ['access'] },
      }),
      postAnswer: await server.gql(PostAnswerDocument, { input: { questionId: ids.question, body: 'Anonymous' } }),
      postReply: await server.gql(PostReplyDocument, { input: { answerId: ids.answer, body: 'Anonymous' } }),
      vote: await server.gql(VoteDocument, { input: { targetId: ids.answer, value: 'UP' } }),
      acceptAnswer: await server.gql(AcceptAnswerDocument, { answerId: ids.answer }),
      unacceptAnswer: await server.gql(UnacceptAnswerDocument, { questionId: ids.question }),
      followQuestion: await server.gql(FollowQuestionDocument, { questionId: ids.question, follow: true }),
      editPost: await server.gql(EditPostDocument, { input: { id: ids.reply, body: 'Edited anonymously' } }),
      deletePost: await server.gql(DeletePostDocument, { id: ids.reply }),
      logOut: await server.gql(LogOutDocument, {}),
    };
    const codes = Object.fromEntries(
      Object.entries(responses).map(([mutation, response]) => [mutation, firstError(response)?.code]),
    );
    expect(codes).toEqual({
      askQuestion: 'UNAUTHENTICATED',
      postAnswer: 'UNAUTHENTICATED',
      postReply: 'UNAUTHENTICATED',
      vote: 'UNAUTHENTICATED',
      acceptAnswer: 'UNAUTHENTICATED',
      unacceptAnswer: 'UNAUTHENTICATED',
      followQuestion: 'UNAUTHENTICATED',
      editPost: 'UNAUTHENTICATED',
      deletePost: 'UNAUTHENTICATED',
      logOut: 'UNAUTHENTICATED',
    });
    for (const response of Object.values(responses)) expect(response.data).toBeNull();

    const after = await server.gql(ThreadPageDocument, { id: ids.question });
    expect(after).toEqual(before);
    expect(after.data!.question).toMatchObject({ answerCount: 1, followerCount: 1, acceptedAnswer: null });
    const [{ count }]: Array<{ count: number }> = await server.db.query(
      `SELECT count(*)::int AS count FROM post WHERE kind = 'question'`,
    );
    expect(count).toBe(1);
    expect(await server.drift()).toEqual([]);
  });
});
