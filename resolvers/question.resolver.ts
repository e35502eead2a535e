import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Answer } from '../entities/answer.entity.js';
import { Question } from '../entities/question.entity.js';
import { Tag } from '../entities/tag.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { checkText } from '../src/services/rules.js';
import { answerOrderings } from '../src/loaders/orderings.js';
import { afterDescription, firstDescription, pageArgs } from './args.js';
import { fresh } from './post.resolver.js';
import { AnswerConnection, QuestionConnection } from './types/connections.js';
import { AnswerOrder, QuestionOrder } from './types/enums.js';
import { AskQuestionInput } from './types/inputs.js';

@Resolver(() => Question)
export class QuestionResolver {
  @Query(() => Question, { nullable: true, description: 'A question; null when absent or deleted.' })
  async question(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Question | null> {
    const post = await ctx.loaders.post.load(rowIdOf(id, ['Question'], 'id').rowId);
    return post instanceof Question ? post : null;
  }

  @Query(() => QuestionConnection, { description: 'Questions, optionally of one tag.' })
  async questions(
    @Arg('first', () => Int, { nullable: true, defaultValue: 10, description: firstDescription }) first: number,
    @Arg('after', () => String, { nullable: true, description: afterDescription }) after: string | null,
    @Arg('tag', () => String, { nullable: true, description: 'Only questions with this tag.' }) tag: string | null,
    @Arg('orderBy', () => QuestionOrder, { nullable: true, defaultValue: QuestionOrder.ACTIVE }) order: QuestionOrder,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof QuestionConnection>> {
    const args = { ...pageArgs(first, after, 10), order: order ?? QuestionOrder.ACTIVE };
    if (tag == null) return new QuestionConnection(await ctx.loaders.questions(args));
    const found = await ctx.loaders.tagByName.load(checkText('tag', tag).trim().toLowerCase());
    const page = found
      ? await ctx.loaders.questions({ ...args, tagId: found.rowId })
      : { edges: [], hasNextPage: false, hasPreviousPage: args.after !== null, totalCount: 0 };
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

  @FieldResolver(() => Answer, { nullable: true, description: 'The answer its author accepted, if any.' })
  async acceptedAnswer(@Root() question: Question, @Ctx() ctx: Context): Promise<Answer | null> {
    if (question.acceptedAnswerId === null) return null;
    return (await ctx.loaders.post.load(question.acceptedAnswerId)) as Answer | null;
  }

  @FieldResolver(() => AnswerConnection, { description: 'Its answers that are not deleted.' })
  async answers(
    @Root() question: Question,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10, description: firstDescription }) first: number,
    @Arg('after', () => String, { nullable: true, description: afterDescription }) after: string | null,
    @Arg('orderBy', () => AnswerOrder, { nullable: true, defaultValue: AnswerOrder.TOP }) order: AnswerOrder,
    @Ctx() ctx: Context,
  ): Promise<InstanceType<typeof AnswerConnection>> {
    const page = await ctx.loaders.answersOfQuestion.load({
      ...pageArgs(first, after, 10),
      parentId: question.rowId,
      ordering: answerOrderings[order ?? AnswerOrder.TOP],
      totalCount: question.answerCount,
    });
    return new AnswerConnection(page);
  }

  @Mutation(() => Question, { description: 'Asks a question; you follow it from then on. Needs a token.' })
  async askQuestion(
    @Arg('input', () => AskQuestionInput) input: AskQuestionInput,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    return fresh(ctx, await ctx.services.questions.ask(requireViewer(ctx.viewer), input));
  }

  @Mutation(() => Question, {
    description: "Accepts an answer, moving the mark from any other. The question's author only.",
  })
  async acceptAnswer(@Arg('answerId', () => ID) answerId: string, @Ctx() ctx: Context): Promise<Question> {
    const { rowId } = rowIdOf(answerId, ['Answer'], 'answerId');
    return fresh(ctx, await ctx.services.questions.accept(requireViewer(ctx.viewer), rowId));
  }

  @Mutation(() => Question, { description: "Removes the accepted mark. The question's author only." })
  async unacceptAnswer(@Arg('questionId', () => ID) questionId: string, @Ctx() ctx: Context): Promise<Question> {
    const { rowId } = rowIdOf(questionId, ['Question'], 'questionId');
    return fresh(ctx, await ctx.services.questions.unaccept(requireViewer(ctx.viewer), rowId));
  }

  @Mutation(() => Question, { description: 'Follows (true) or unfollows (false) a thread. Idempotent.' })
  async followQuestion(
    @Arg('questionId', () => ID) questionId: string,
    @Arg('follow', () => Boolean) follow: boolean,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    const { rowId } = rowIdOf(questionId, ['Question'], 'questionId');
    return fresh(ctx, await ctx.services.questions.follow(requireViewer(ctx.viewer), rowId, follow));
  }
}
