import { describe, expect, it } from '@jest/globals';
import {
  AnswerAddedDocument,
  ReplyAddedDocument,
  ScoreChangedDocument,
  ThreadEventsDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask } from './support/actions.js';
import { answerProbe, connect, delay, eventsOf, server, threadEvents, useLiveServer } from './support/live.js';
import { rawSocket } from './support/servers.js';
import { closeCodeOf, failureOf, nextMessage, socketClosed, watch, whenLive, type Watch } from './support/ws.js';

useLiveServer();

describe('transport', () => {
  it('should close the socket with 4403 when connectionParams carry a forged token', async () => {
    const user = await server.signUp();
    const forged = user.token.slice(0, -1) + (user.token.endsWith('A') ? 'B' : 'A');
    const client = connect({ ...user, token: forged }, { onNonLazyError: () => undefined });
    expect(await closeCodeOf(client)).toBe(4403);
  });

  it('should let an anonymous socket watch a thread', async () => {
    const [asker, author] = await Promise.all([server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const client = connect();
    const answers = watch(client, AnswerAddedDocument, { questionId });
    await whenLive([answers], answerProbe(questionId));
    const events = threadEvents(client, questionId);

    const posted = await answer(server, author, questionId, 'Pour tout le monde');
    const [pushed] = await answers.next(1);
    expect(pushed.data?.answerAdded).toMatchObject({ id: posted.id, viewerCanEdit: false, viewerVote: null });
    expect(await events.until((result) => result.data?.threadEvents.postId === posted.id, 5000)).toBe(true);
    expect(eventsOf(events.results).at(-1)).toMatchObject({
      kind: 'ANSWER_ADDED',
      postId: posted.id,
      post: { __typename: 'Answer', id: posted.id, body: 'Pour tout le monde' },
    });
  });

  it('should close the socket with 4408 when connection_init does not come within 3 s', async () => {
    const socket = rawSocket(server.url);
    expect(await socketClosed(socket)).toBe(4408);
  });

  it('should serve a message of 60 KiB and close with 1009 the socket that sends one over 64 KiB', async () => {
    const socket = rawSocket(server.url);
    await new Promise((open) => socket.once('open', open));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    expect((await nextMessage(socket)).type).toBe('connection_ack');
    const unknown = Buffer.from('Question:999999').toString('base64url');
    const subscribe = (id: string, bytes: number) =>
      JSON.stringify({
        id,
        type: 'subscribe',
        // Padded through extensions: the document itself stays under the document-size limit.
        payload: {
          query: `subscription { threadEvents(questionId: "${unknown}") { cursor } }`,
          extensions: { padding: 'x'.repeat(bytes) },
        },
      });

    socket.send(subscribe('fits', 60 * 1024));
    expect(await nextMessage(socket)).toMatchObject({
      id: 'fits',
      type: 'next',
      payload: { errors: [{ extensions: { code: 'NOT_FOUND' } }] },
    });
    const closed = socketClosed(socket);
    socket.send(subscribe('too-large', 65 * 1024));
    expect(await closed).toBe(1009);
  });

  it('should refuse the 51st simultaneous subscription of a socket with BAD_USER_INPUT (rule perSocket) while the 50 others keep working', async () => {
    const [asker, author] = await Promise.all([server.signUp(), server.signUp()]);
    const questionId = (await ask(server, asker)).id;
    const client = connect();
    const watches = Array.from({ length: 50 }, () => threadEvents(client, questionId));
    await answer(server, author, questionId);
    // Each of the 50 gets the event, or says how the server ended it.
    const outcomes = await Promise.all(
      watches.map(async (w) =>
        (await w.until(() => true, 3000))
          ? 'live'
          : Promise.race([
              w.done.then(
                () => 'completed',
                (error: unknown) => error,
              ),
              delay(0, 'silent'),
            ]),
      ),
    );
    expect(outcomes).toEqual(Array(50).fill('live'));

    const errors = await failureOf(threadEvents(client, questionId));
    expect(errors.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', rule: 'perSocket' }),
    ]);
    await answer(server, author, questionId);
    await Promise.all(watches.map((w) => w.next(2)));
    expect(watches.map((w) => w.results.length)).toEqual(Array(50).fill(2));
  });

  it('should give NOT_FOUND on every subscription for an unknown question', async () => {
    const client = connect();
    const questionId = Buffer.from('Question:999999').toString('base64url');
    const watches = [
      watch(client, AnswerAddedDocument, { questionId }),
      watch(client, ReplyAddedDocument, { questionId }),
      watch(client, ScoreChangedDocument, { questionId }),
      watch(client, ThreadEventsDocument, { questionId }),
    ];
    for (const w of watches) {
      const errors = await failureOf(w as Watch<unknown>);
      expect(errors.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    }
  });

  it("should give BAD_USER_INPUT on questionId when it is an Answer's id", async () => {
    const [asker, author] = await Promise.all([server.signUp(), server.signUp()]);
    const posted = await answer(server, author, (await ask(server, asker)).id);
    const client = connect();
    const watches = [
      watch(client, AnswerAddedDocument, { questionId: posted.id }),
      watch(client, ReplyAddedDocument, { questionId: posted.id }),
      watch(client, ScoreChangedDocument, { questionId: posted.id }),
      watch(client, ThreadEventsDocument, { questionId: posted.id }),
    ];
    for (const w of watches) {
      const errors = await failureOf(w as Watch<unknown>);
      expect(errors.map((error) => error.extensions)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'questionId' }),
      ]);
    }
  });
});
