import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Answer } from '../entities/answer.entity.js';
import { Notification } from '../entities/notification.entity.js';
import type { Post } from '../entities/post.entity.js';
import { Reply } from '../entities/reply.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { isEventFor } from '../src/services/policy.js';
import type { EventFilter, WatchOptions } from '../src/realtime/stream.js';
import type { NotificationMessage, ThreadEventKind, ThreadEventMessage } from '../src/realtime/topics.js';
import { ScoreChange, seqOfCursor, ThreadEvent } from './types/thread-event.js';

type ThreadArgs = { questionId: string; after?: string | null };
type Subscribe = SubscribeResolverData<unknown, ThreadArgs, Context>;

const questionIdArg = {
  description:
    'The id of the question whose thread to watch: NOT_FOUND when it does not exist, BAD_USER_INPUT (rule ' +
    'idType) for another kind of id.',
};

/** Whether the event's post still exists: the same for every viewer. */
async function postExists(eventContext: Context, event: ThreadEventMessage): Promise<boolean> {
  return (await eventContext.loaders.post.load(event.postId)) !== null;
}

/**
 * The thread's events of one kind whose post still exists: deleted posts are pushed to no one. The
 * answer is computed once per event whatever its watchers (see Context.answerFor).
 */
function livePostsOf(kind: ThreadEventKind, ctx: Context): EventFilter {
  return (event) => event.kind === kind && ctx.answerFor(event, 'postExists', postExists);
}

/** The events of the thread that `options.wanted` wants and that are for the watcher (see isEventFor). */
function watch({ args, context }: Subscribe, options: Pick<WatchOptions, 'wanted' | 'latestScoresOnly'> = {}) {
  const questionId = rowIdOf(args.questionId, ['Question'], 'questionId').rowId;
  const after = args.after == null ? null : seqOfCursor(args.after, questionId);
  const { viewer } = context;
  const wanted: EventFilter = (event) => isEventFor(viewer, event) && (options.wanted?.(event) ?? true);
  return context.live.threadEvents(questionId, after, { ...options, wanted, backlog: context.backlog });
}

/** A pushed event's post; `ctx` is the event's (see Context.forEvent), so its watchers share the read. */
async function postOf(event: ThreadEventMessage, ctx: Context): Promise<Post> {
  return (await ctx.loaders.post.load(event.postId)) as Post;
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => Notification, {
    description:
      "The viewer's own new notifications, on every socket of theirs. UNAUTHENTICATED without a token; ends when the token is revoked.",
    subscribe: ({ context }: Subscribe) =>
      context.live.notifications(requireViewer(context.viewer), async (notification) => {
        return (await context.forEvent(notification).loaders.visiblePost.load(notification.postId)) !== null;
      }),
  })
  notificationReceived(@Root() message: NotificationMessage): Notification {
    const { id, createdAt, ...rest } = message;
    return Object.assign(new Notification(), { ...rest, rowId: id, createdAt: new Date(createdAt), readAt: null });
  }

  @Subscription(() => Answer, {
    description: 'Each new answer to the question, once, in commit order.',
    subscribe: (data: Subscribe) => watch(data, { wanted: livePostsOf('ANSWER_ADDED', data.context) }),
  })
  async answerAdded(
    @Root() event: ThreadEventMessage,
    @Arg('questionId', () => ID, questionIdArg) _questionId: string,
    @Ctx() ctx: Context,
  ): Promise<Answer> {
    return (await postOf(event, ctx)) as Answer;
  }

  @Subscription(() => Reply, {
    description: "Each new reply anywhere in the question's thread, once, in commit order.",
    subscribe: (data: Subscribe) => watch(data, { wanted: livePostsOf('REPLY_ADDED', data.context) }),
  })
  async replyAdded(
    @Root() event: ThreadEventMessage,
    @Arg('questionId', () => ID, questionIdArg) _questionId: string,
    @Ctx() ctx: Context,
  ): Promise<Reply> {
    return (await postOf(event, ctx)) as Reply;
  }

  @Subscription(() => ScoreChange, {
    description:
      'Each change of score of the question, its answers and their replies. A watcher that falls behind ' +
      'gets the last score of each post rather than every step in between.',
    subscribe: (data: Subscribe) =>
      watch(data, { wanted: livePostsOf('SCORE_CHANGED', data.context), latestScoresOnly: true }),
  })
  async scoreChanged(
    @Root() event: ThreadEventMessage,
    @Arg('questionId', () => ID, questionIdArg) _questionId: string,
    @Ctx() ctx: Context,
  ): Promise<ScoreChange> {
    return { post: await postOf(event, ctx), score: event.score ?? 0 };
  }

  @Subscription(() => ThreadEvent, {
    description:
      'Every change of the thread, in commit order. With `after` (the cursor of the last event seen), first ' +
      'replays the events committed since, exactly once, then goes on live. Events are kept 7 days: an older ' +
      'cursor gives BAD_USER_INPUT (rule cursorExpired), and the client should refetch the thread.',
    subscribe: (data: Subscribe) => watch(data),
  })
  threadEvents(
    @Root() event: ThreadEventMessage,
    @Arg('questionId', () => ID, questionIdArg) _questionId: string,
    @Arg('after', () => String, { nullable: true, description: 'The cursor of the last event seen.' })
    _after: string | null,
  ): ThreadEvent {
    return new ThreadEvent(event);
  }
}
