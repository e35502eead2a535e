import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Answer } from '../entities/answer.entity.js';
import { Question } from '../entities/question.entity.js';
import { Tag } from '../entities/tag.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { may } from '../src/services/policy.js';
import { checkText } from '../src/services/rules.js';
import { answerOrderings } from '../src/loaders/orderings.js';
import type { Ordering, PageArgs } from '../src/loaders/pagination.js';
import { type ConnectionArgs, defaultPageSize, pageArgs, PageArgsType, shortItemsPageSize } from './args.js';
import { fresh } from './post.resolver.js';
import { AnswerConnection, QuestionConnection } from './types/connections.js';
import { AnswerOrder, QuestionOrder } from './types/enums.js';
import { AskQuestionInput } from './types/inputs.js';
import { threadEventCursor } from './types/thread-event.js';
import { connectionNodes, operationSelects, selectedChild, selectedUnder } from './lookahead.js';

@Resolver(() => Question)
export class QuestionResolver {
  @Query(() => Question, { nullable: true, description: 'A question; null when absent or deleted.' })
  async question(
    @Arg('id', () => ID, { description: 'The id of a question; another kind of id is BAD_USER_INPUT (rule idType).' })
    id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Question | null> {
    const rowId = rowIdOf(id, ['Question'], 'id').rowId;
    // A query that asks for its answers too (the thread page) reads them along, in one statement.
    const asked = pagesAsked(info);
    const post = asked
      ? await ctx.loaders.questionWithAnswers(rowId, asked.answers, asked.replies, asked.withHtml)
      : await ctx.loaders.post.load(rowId);
    return post instanceof Question ? post : null;
  }

  @Query(() => QuestionConnection, { description: 'Questions that are not deleted, optionally of one tag.' })
  async questions(
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Arg('tag', () => String, {
      nullable: true,
      description: 'Only questions with this tag (any case); an unknown tag gives an empty page.',
    })
    tag: string | null,
    @Arg('orderBy', () => QuestionOrder, {
      nullable: true,
      defaultValue: QuestionOrder.ACTIVE,
      description: 'How to sort them.',
    })
    order: QuestionOrder,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof QuestionConnection>> {
    const asked = { ...args.page(info), order: order ?? QuestionOrder.ACTIVE };
    if (tag == null) return new QuestionConnection(await ctx.loaders.questions(asked));
    const found = await ctx.loaders.tagByName.load(checkText('tag', tag).trim().toLowerCase());
    const page = found
      ? await ctx.loaders.questions({ ...asked, tagId: found.rowId })
      : { edges: [], hasNextPage: false, hasPreviousPage: false, totalCount: 0 };
    return new QuestionConnection(page);
  }

  @FieldResolver(() => [Tag], { description: 'Its tags, in the order the author gave them.' })
  tags(@Root() question: Question, @Ctx() ctx: Context): Promise<Tag[]> {
    return ctx.loaders.tagsOfQuestion.load(question.rowId);
  }

  @FieldResolver(() => Boolean, { description: 'True when the viewer follows this thread.' })
  viewerIsFollowing(@Root() question: Question, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.loaders.viewerFollows.load(question.rowId);
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when acceptAnswer and unacceptAnswer would let the viewer mark its answers: its author, once it has ' +
      'an answer.',
  })
  viewerCanAccept(@Root() question: Question, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'accept', question);
  }

  @FieldResolver(() => Boolean, {
    description:
      'True when postAnswer would let the viewer answer it: signed in, not suspended, the question not closed, ' +
      'and the thread not locked (unless a moderator).',
  })
  viewerCanAnswer(@Root() question: Question, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'answer', question);
  }

  @FieldResolver(() => Boolean, {
    description: 'True when followQuestion would let the viewer follow or unfollow it: signed in.',
  })
  viewerCanFollow(@Root() question: Question, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'follow', question);
  }

  @FieldResolver(() => String, {
    description:
      'The cursor of the newest event of the thread committed when the question was read, read in the same ' +
      'snapshot as the rest of it: threadEvents(questionId, after: eventCursor) delivers exactly what this ' +
      'copy of the thread lacks. Valid before the thread has any event (it replays from the start).',
  })
  eventCursor(@Root() question: Question): string {
    return threadEventCursor({ questionId: question.rowId, seq: question.eventSeq });
  }

  @FieldResolver(() => Answer, { nullable: true, description: 'The answer its author accepted, if any.' })
  async acceptedAnswer(@Root() question: Question, @Ctx() ctx: Context): Promise<Answer | null> {
    if (question.acceptedAnswerId === null) return null;
    return (await ctx.loaders.post.load(question.acceptedAnswerId)) as Answer | null;
  }

  @FieldResolver(() => AnswerConnection, { description: 'Its answers that are not deleted.' })
  async answers(
    @Root() question: Question,
    @Args(() => PageArgsType) args: ConnectionArgs,
    @Arg('orderBy', () => AnswerOrder, {
      nullable: true,
      defaultValue: AnswerOrder.TOP,
      description: 'How to sort them.',
    })
    order: AnswerOrder,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof AnswerConnection>> {
    const page = await ctx.loaders.answersOfQuestion.load({
      ...args.page(info),
      parentId: question.rowId,
      ordering: answerOrderings[order ?? AnswerOrder.TOP],
      totalCount: question.answerCount,
    });
    return new AnswerConnection(page);
  }

  @Mutation(() => Question, {
    description:
      'Asks a question; you follow it from then on, and users it @mentions are notified. Needs a token ' +
      '(UNAUTHENTICATED). BAD_USER_INPUT as AskQuestionInput says; RATE_LIMITED past 30 posts (questions, ' +
      'answers, replies) a minute, with extensions.retryAfter in seconds.',
  })
  async askQuestion(
    @Arg('input', () => AskQuestionInput, { description: 'The question.' }) input: AskQuestionInput,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    return fresh(ctx, await ctx.services.questions.ask(requireViewer(ctx.viewer), input));
  }

  @Mutation(() => Question, {
    description:
      'Marks an answer as the accepted one and gives its question; accepting another answer moves the mark, ' +
      "accepting the accepted one changes nothing. The question's author only: FORBIDDEN for anyone else. " +
      'Needs a token (UNAUTHENTICATED). NOT_FOUND when the answer or its question is absent or deleted.',
  })
  async acceptAnswer(
    @Arg('answerId', () => ID, {
      description: 'The id of an answer to your question; another kind of id is BAD_USER_INPUT (rule idType).',
    })
    answerId: string,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    const { rowId } = rowIdOf(answerId, ['Answer'], 'answerId');
    return fresh(ctx, await ctx.services.questions.accept(requireViewer(ctx.viewer), rowId));
  }

  @Mutation(() => Question, {
    description:
      "Removes the accepted mark, if any, and gives the question. Idempotent. The question's author only: " +
      'FORBIDDEN for anyone else. Needs a token (UNAUTHENTICATED). NOT_FOUND when the question is absent or deleted.',
  })
  async unacceptAnswer(
    @Arg('questionId', () => ID, { description: 'The id of your question.' }) questionId: string,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    const { rowId } = rowIdOf(questionId, ['Question'], 'questionId');
    return fresh(ctx, await ctx.services.questions.unaccept(requireViewer(ctx.viewer), rowId));
  }

  @Mutation(() => Question, {
    description:
      'Follows or unfollows a thread (a follower is notified of each answer and reply in it) and gives the ' +
      'question. Idempotent. Needs a token (UNAUTHENTICATED). NOT_FOUND when the question is absent or deleted.',
  })
  async followQuestion(
    @Arg('questionId', () => ID, { description: 'The id of the question.' }) questionId: string,
    @Arg('follow', () => Boolean, { description: 'True to follow, false to unfollow.' }) follow: boolean,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    const { rowId } = rowIdOf(questionId, ['Question'], 'questionId');
    return fresh(ctx, await ctx.services.questions.follow(requireViewer(ctx.viewer), rowId, follow));
  }
}

/**
 * What the query asks of the question being resolved, when the question can read it along: one page
 * of answers and, under them, the first page of each one's replies. Null when it asks otherwise.
 */
function pagesAsked(
  info: GraphQLResolveInfo,
): { answers: PageArgs & { ordering: Ordering }; replies?: { first: number }; withHtml: boolean } | null {
  const answers = selectedChild(info, 'answers');
  if (answers === null) return null;
  try {
    const order = (answers.args.orderBy as AnswerOrder | null | undefined) ?? AnswerOrder.TOP;
    const page = pageArgs(answers.args.first as number | null, answers.args.after as string | null, defaultPageSize, {
      last: answers.args.last as number | null,
      before: answers.args.before as string | null,
      info: { fieldNodes: [answers.node], variableValues: info.variableValues },
    });
    const replies = selectedUnder(info, connectionNodes(info, answers.node), 'Answer', 'replies');
    // A cursor belongs to one answer's replies: only first pages can be read for every answer at once.
    const firstPageOnly =
      replies && [replies.args.after, replies.args.before, replies.args.last].every((a) => a == null);
    const repliesPage = firstPageOnly ? pageArgs(replies.args.first as number | null, null, shortItemsPageSize) : null;
    return {
      answers: { ...page, ordering: answerOrderings[order] },
      ...(repliesPage && { replies: { first: repliesPage.first } }),
      withHtml: operationSelects(info, 'bodyHTML'),
    };
  } catch {
    // A bad `first` is that field's error, reported at its path when it resolves.
    return null;
  }
}
