import { beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-sse';
import {
  EditPostDocument,
  FlagPostDocument,
  NotificationsDocument,
  ResolveFlagDocument,
  ThreadEventsDocument,
  UndeletePostDocument,
  type ThreadEventsSubscription,
} from '../schema/trusted-documents/graphql.js';
import { answer, ask, signUpMany, type User } from './support/actions.js';
import { connect, cursorAt, dataOf, eventProbe, eventsOf, prober, server, useLiveServer } from './support/live.js';
import { leave } from './support/servers.js';
import { watch, whenLive, type Watch } from './support/ws.js';

/*
 * A post hidden by members' flags is gone for everyone but its author and moderators, who still read
 * it: the hiding is POST_DELETED for the others only, and a helpful verdict, which deletes it for
 * good, is POST_DELETED for its author and moderators only. A declined verdict brings it back for
 * everyone: pages list a hidden post to no one, so a reader who loaded the thread meanwhile needs it.
 */
useLiveServer();

let asker: User;
let author: User;
let moderator: User;
let member: User;
let flaggers: User[];

beforeAll(async () => {
  [asker, author, moderator, member, ...flaggers] = await signUpMany(server, 10);
  await server.db.query(`UPDATE "user" SET role = 'MODERATOR' WHERE id = $1`, [moderator.userId]);
});

/** Three members' SPAM flags, which hide the post; the first flag's id. */
async function hide(postId: string, by: User[]): Promise<string> {
  const flags = [];
  for (const flagger of by) {
    flags.push(dataOf(await server.gql(FlagPostDocument, { input: { postId, reason: 'SPAM' } }, flagger.token)));
  }
  return flags[0].flagPost.id;
}

/** An edit of the question, which every watcher sees: a mark in each stream. */
async function mark(questionId: string, label: string): Promise<void> {
  dataOf(await server.gql(EditPostDocument, { input: { id: questionId, body: `Repère ${label}.` } }, asker.token));
}

/** Whether the user has a notification of `kind` about the post. */
async function notified(user: User, postId: string, kind: string): Promise<boolean> {
  const { notifications } = dataOf(await server.gql(NotificationsDocument, { first: 50 }, user.token));
  return notifications.nodes.some((node) => node.kind === kind && node.post?.id === postId);
}

/**
 * Flags hide the answer, a moderator declines them, flags hide it again, a moderator finds them
 * helpful: each step followed by a mark, then by `settle(marks so far)`. The author is notified of
 * the deletion only.
 */
async function story(
  questionId: string,
  answerId: string,
  settle: (marks: number) => Promise<unknown> = async () => undefined,
): Promise<void> {
  let marks = 0;
  const step = async (label: string) => {
    await mark(questionId, label);
    await settle(++marks);
  };
  for (const [round, helpful] of [false, true].entries()) {
    const flag = await hide(answerId, flaggers.slice(3 * round, 3 * round + 3));
    await step(`hidden ${round}`);
    dataOf(await server.gql(ResolveFlagDocument, { id: flag, helpful }, moderator.token));
    await step(helpful ? 'helpful' : 'declined');
    expect(await notified(author, answerId, 'MODERATION')).toBe(helpful);
  }
}

/** How many of `events` come up to their `marks`-th mark, that one included. */
function throughMark(events: ReadonlyArray<{ kind: string }>, marks: number): number {
  let seen = 0;
  return events.findIndex((event) => event.kind === 'POST_EDITED' && ++seen === marks) + 1;
}

/**
 * What each watcher receives of the story: kind, and the post as it is when served (null once
 * deleted): `replayed`, after the story, the restored answer is deleted again.
 */
function expected(questionId: string, answerId: string, replayed = false) {
  const marked = { kind: 'POST_EDITED', postId: questionId, post: questionId };
  const deleted = { kind: 'POST_DELETED', postId: answerId, post: null };
  const restored = { kind: 'POST_RESTORED', postId: answerId, post: replayed ? null : answerId };
  return {
    others: [deleted, marked, restored, marked, deleted, marked, marked],
    readers: [marked, restored, marked, marked, deleted, marked],
  };
}

function received(w: Watch<ThreadEventsSubscription>) {
  return eventsOf(w.results).map((event) => ({ kind: event.kind, postId: event.postId, post: event.post?.id ?? null }));
}

async function thread(): Promise<{ questionId: string; answerId: string }> {
  const questionId = (await ask(server, asker)).id;
  const answerId = (await answer(server, author, questionId)).id;
  return { questionId, answerId };
}

describe('a post hidden by flags', () => {
  it('should be POST_DELETED live for a member, and for its author and a moderator only once found helpful', async () => {
    const { questionId, answerId } = await thread();
    const [forMember, forAuthor, forModerator] = [member, author, moderator].map((user) =>
      watch(connect(user), ThreadEventsDocument, { questionId }),
    );
    await whenLive([forMember, forAuthor, forModerator], eventProbe(answerId));
    const { others, readers } = expected(questionId, answerId);
    // Each event serves its post as it is when sent: each step waits for the one before to go out.
    await story(questionId, answerId, (marks) =>
      Promise.all([
        forMember.next(throughMark(others, marks)),
        forAuthor.next(throughMark(readers, marks)),
        forModerator.next(throughMark(readers, marks)),
      ]),
    );
    expect(received(forMember)).toEqual(others);
    expect(received(forAuthor)).toEqual(readers);
    expect(received(forModerator)).toEqual(readers);
  });

  it('should replay to each watcher, after a cursor, what it would have received live, over WebSocket and SSE', async () => {
    const { questionId, answerId } = await thread();
    const [added] = eventsOf(
      await watch(connect(prober), ThreadEventsDocument, { questionId, after: cursorAt(questionId, 0) }).next(1),
    );
    expect(added.kind).toBe('ANSWER_ADDED');
    await story(questionId, answerId);
    const after = added.cursor;
    const overSse = (user?: User) => {
      const client = createClient({
        url: `${server.url}/graphql/stream`,
        headers: user ? { authorization: `Bearer ${user.token}` } : {},
        retryAttempts: 0,
      });
      leave(() => client.dispose());
      return watch(client, ThreadEventsDocument, { questionId, after });
    };
    const overWs = (user?: User) => watch(connect(user), ThreadEventsDocument, { questionId, after });
    const { others, readers } = expected(questionId, answerId, true);
    const watches = {
      anonymous: [overWs(), others],
      member: [overWs(member), others],
      author: [overWs(author), readers],
      moderator: [overWs(moderator), readers],
      'member over SSE': [overSse(member), others],
      'author over SSE': [overSse(author), readers],
    } as const;
    for (const [who, [w, events]] of Object.entries(watches)) {
      await w.next(events.length);
      expect({ who, events: received(w) }).toEqual({ who, events });
    }
    expect(await server.drift()).toEqual([]);
  });

  it('should come back for everyone when a moderator undeletes it, and notify nobody', async () => {
    const { questionId, answerId } = await thread();
    const [forMember, forAuthor] = [member, author].map((user) =>
      watch(connect(user), ThreadEventsDocument, { questionId }),
    );
    await whenLive([forMember, forAuthor], eventProbe(answerId));
    await hide(answerId, flaggers.slice(0, 3));
    await forMember.next(1);
    dataOf(await server.gql(UndeletePostDocument, { id: answerId }, moderator.token));
    await mark(questionId, 'undeleted');
    const [deleted, marked, restored] = expected(questionId, answerId).others;
    await Promise.all([forMember.next(3), forAuthor.next(2)]);
    expect(received(forMember)).toEqual([deleted, restored, marked]);
    expect(received(forAuthor)).toEqual([restored, marked]);
    expect(await notified(author, answerId, 'MODERATION')).toBe(false);
    expect(await server.drift()).toEqual([]);
  });
});
