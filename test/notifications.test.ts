import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  EditPostDocument,
  FollowQuestionDocument,
  LogOutDocument,
  MarkNotificationsReadDocument,
  NodeDocument,
  NotificationReceivedDocument,
  NotificationsDocument,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, reply, type User } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { startTestServer, wsClient } from './support/servers.js';
import { watch } from './support/ws.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

async function inbox(user: User): Promise<Array<[string, string]>> {
  const { data } = await server.gql(NotificationsDocument, { first: 100 }, user.token);
  return data!.notifications.nodes.map((n) => [n.kind, n.post.id]);
}

describe('notifications', () => {
  it('should tell the asker of an answer, the answerer of a reply and followers of activity, never the writer', async () => {
    const [asker, answerer, replier, follower] = await Promise.all([1, 2, 3, 4].map(() => server.signUp()));
    const questionId = (await ask(server, asker)).id;
    await server.gql(FollowQuestionDocument, { questionId, follow: true }, follower.token);
    const answerId = (await answer(server, answerer, questionId)).id;
    const replyId = (await reply(server, replier, answerId)).id;

    expect(await inbox(asker)).toEqual([
      ['ACTIVITY_ON_FOLLOWED_QUESTION', replyId],
      ['ANSWER_TO_YOUR_QUESTION', answerId],
    ]);
    expect(await inbox(answerer)).toEqual([['REPLY_TO_YOUR_ANSWER', replyId]]);
    expect(await inbox(follower)).toEqual([
      ['ACTIVITY_ON_FOLLOWED_QUESTION', replyId],
      ['ACTIVITY_ON_FOLLOWED_QUESTION', answerId],
    ]);
    expect(await inbox(replier)).toEqual([]);
  });

  it('should give one notification per user per post, the most specific kind winning', async () => {
    const [asker, answerer] = await Promise.all([1, 2].map(() => server.signUp()));
    const questionId = (await ask(server, asker)).id;
    const answerId = (
      await answer(server, answerer, questionId, `Merci @${asker.username} et encore @${asker.username}`)
    ).id;
    expect(await inbox(asker)).toEqual([['MENTION', answerId]]);
    const replyId = (await reply(server, asker, answerId, `@${answerer.username} tout à fait`)).id;
    expect(await inbox(answerer)).toEqual([['MENTION', replyId]]);
  });

  it('should notify the mentions an edit adds, and only those', async () => {
    const [writer, named, other] = await Promise.all([1, 2, 3].map(() => server.signUp()));
    const questionId = (await ask(server, writer, { body: `Bonjour @${named.username}` })).id;
    expect(await inbox(named)).toEqual([['MENTION', questionId]]);
    await server.gql(
      EditPostDocument,
      { input: { id: questionId, body: `Bonjour @${named.username} et @${other.username}` } },
      writer.token,
    );
    expect(await inbox(named)).toEqual([['MENTION', questionId]]);
    expect(await inbox(other)).toEqual([['MENTION', questionId]]);
  });

  it('should count unread ones and mark them read by id or all at once', async () => {
    const [asker, answerer] = await Promise.all([1, 2].map(() => server.signUp()));
    const questionId = (await ask(server, asker)).id;
    await answer(server, answerer, questionId, 'un');
    await answer(server, answerer, questionId, 'deux');
    await answer(server, answerer, questionId, 'trois');
    const { data } = await server.gql(NotificationsDocument, {}, asker.token);
    expect(data!.unreadNotificationCount).toBe(3);
    const [newest] = data!.notifications.nodes;
    const marked = await server.gql(MarkNotificationsReadDocument, { ids: [newest.id] }, asker.token);
    expect(marked.data?.markNotificationsRead).toBe(2);
    const unread = await server.gql(NotificationsDocument, { unreadOnly: true }, asker.token);
    expect(unread.data!.notifications.nodes.map((n) => n.read)).toEqual([false, false]);
    expect(
      (await server.gql(MarkNotificationsReadDocument, { all: true }, asker.token)).data?.markNotificationsRead,
    ).toBe(0);
    const none = await server.gql(MarkNotificationsReadDocument, {}, asker.token);
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
  });

  it('should give UNAUTHENTICATED without a token, and show a notification by node(id) to its owner only', async () => {
    const [asker, answerer] = await Promise.all([1, 2].map(() => server.signUp()));
    await answer(server, answerer, (await ask(server, asker)).id);
    const anonymous = await server.gql(NotificationsDocument, {});
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const { data } = await server.gql(NotificationsDocument, {}, asker.token);
    const id = data!.notifications.nodes[0].id;
    expect((await server.gql(NodeDocument, { id }, asker.token)).data?.node).toMatchObject({
      __typename: 'Notification',
      id,
    });
    expect((await server.gql(NodeDocument, { id }, answerer.token)).data?.node).toBeNull();
  });

  it('should push each new notification live to every socket of its user, and to no one else', async () => {
    const [asker, answerer] = await Promise.all([1, 2].map(() => server.signUp()));
    const questionId = (await ask(server, asker)).id;
    const first = watch(wsClient(server.url, asker.token), NotificationReceivedDocument, {});
    const second = watch(wsClient(server.url, asker.token), NotificationReceivedDocument, {});
    const others = watch(wsClient(server.url, answerer.token), NotificationReceivedDocument, {});
    // A probe: once it arrives on both sockets, both subscriptions are live.
    await answer(server, answerer, questionId, 'sonde');
    await Promise.all([first.next(1), second.next(1)]);
    const answerId = (await answer(server, answerer, questionId, 'pour de vrai')).id;
    const [, live] = await first.next(2);
    expect(live.data?.notificationReceived).toMatchObject({
      kind: 'ANSWER_TO_YOUR_QUESTION',
      read: false,
      post: { id: answerId, body: 'pour de vrai', viewerCanEdit: false },
    });
    expect((await second.next(2))[1].data?.notificationReceived.post.id).toBe(answerId);
    expect(others.results).toEqual([]);
  });

  it('should refuse notificationReceived without a token, and end it when the token is revoked', async () => {
    const anonymous = watch(wsClient(server.url), NotificationReceivedDocument, {});
    await anonymous.done;
    expect(anonymous.results.map((result) => result.errors?.[0].extensions?.code)).toEqual(['UNAUTHENTICATED']);

    const [asker, answerer] = await Promise.all([1, 2].map(() => server.signUp()));
    const questionId = (await ask(server, asker)).id;
    const watching = watch(wsClient(server.url, asker.token), NotificationReceivedDocument, {});
    await answer(server, answerer, questionId, 'sonde');
    await watching.next(1);
    await server.gql(LogOutDocument, {}, asker.token);
    await watching.done;
    await answer(server, answerer, questionId, 'après');
    expect(watching.results).toHaveLength(1);
  });

  it("should keep notificationReceived going when another user's token is revoked", async () => {
    const [asker, answerer, leaving] = await Promise.all([1, 2, 3].map(() => server.signUp()));
    const questionId = (await ask(server, asker)).id;
    const watching = watch(wsClient(server.url, asker.token), NotificationReceivedDocument, {});
    await answer(server, answerer, questionId, 'avant');
    await watching.next(1);
    await server.gql(LogOutDocument, {}, leaving.token);
    await answer(server, answerer, questionId, 'après');
    await watching.next(2);
    expect(watching.results).toHaveLength(2);
  });
});
