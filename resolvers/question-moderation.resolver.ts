import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Question } from '../entities/question.entity.js';
import { requireViewer } from '../src/auth/require.js';
import type { Context } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import { may } from '../src/services/policy.js';
import { fresh } from './post.resolver.js';
import { CloseQuestionInput } from './types/moderation-inputs.js';

const questionIdDescription = 'The id of the question; another kind of id is BAD_USER_INPUT (rule idType).';

/** What moderators do to a question: close and reopen, lock and unlock. */
@Resolver(() => Question)
export class QuestionModerationResolver {
  @FieldResolver(() => Question, {
    nullable: true,
    description: 'The question this one duplicates, when closed as DUPLICATE; null once that one is deleted.',
  })
  async duplicateOf(@Root() question: Question, @Ctx() ctx: Context): Promise<Question | null> {
    if (question.duplicateOfId === null) return null;
    return (await ctx.loaders.post.load(question.duplicateOfId)) as Question | null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When a moderator locked the thread (no answers, replies, votes, edits or flags from members).',
  })
  lockedAt(@Root() question: Question): Date | null {
    return question.lockedAt;
  }

  @FieldResolver(() => Boolean, {
    description: 'True when closeQuestion and reopenQuestion would let the viewer close or reopen it: moderators.',
  })
  viewerCanClose(@Root() question: Question, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'close', question);
  }

  @FieldResolver(() => Boolean, {
    description: 'True when lockQuestion would let the viewer lock or unlock it: moderators.',
  })
  viewerCanLock(@Root() question: Question, @Ctx() ctx: Context): boolean {
    return may(ctx.viewer, 'lock', question);
  }

  @Mutation(() => Question, {
    description:
      'Closes a question to new answers (replies and votes go on) and gives it; closing it again changes the ' +
      'reason. Watchers see QUESTION_CLOSED; its author is notified (MODERATION). Moderators only (FORBIDDEN); ' +
      'NOT_FOUND when absent or deleted; BAD_USER_INPUT as CloseQuestionInput says.',
  })
  async closeQuestion(
    @Arg('input', () => CloseQuestionInput, { description: 'The question, and why.' }) input: CloseQuestionInput,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    const { rowId } = rowIdOf(input.questionId, ['Question'], 'questionId');
    const duplicateOf =
      input.duplicateOfId == null ? null : rowIdOf(input.duplicateOfId, ['Question'], 'duplicateOfId');
    const viewer = requireViewer(ctx.viewer);
    return fresh(ctx, await ctx.services.moderation.close(viewer, rowId, input.reason, duplicateOf?.rowId ?? null));
  }

  @Mutation(() => Question, {
    description:
      'Reopens a closed question, clearing its reason, and gives it; watchers see QUESTION_REOPENED. Reopening an ' +
      'open question changes nothing. Moderators only (FORBIDDEN); NOT_FOUND when absent or deleted.',
  })
  async reopenQuestion(
    @Arg('questionId', () => ID, { description: questionIdDescription }) questionId: string,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    const { rowId } = rowIdOf(questionId, ['Question'], 'questionId');
    return fresh(ctx, await ctx.services.moderation.reopen(requireViewer(ctx.viewer), rowId));
  }

  @Mutation(() => Question, {
    description:
      'Locks or unlocks a thread and gives its question: a locked thread takes no answers, replies, votes, edits ' +
      'or flags from members; moderators still act on it. Watchers see QUESTION_LOCKED or QUESTION_UNLOCKED; a ' +
      'lock notifies the author (MODERATION). Idempotent. Moderators only (FORBIDDEN); NOT_FOUND when absent or ' +
      'deleted.',
  })
  async lockQuestion(
    @Arg('questionId', () => ID, { description: questionIdDescription }) questionId: string,
    @Arg('locked', () => Boolean, { description: 'True to lock, false to unlock.' }) locked: boolean,
    @Ctx() ctx: Context,
  ): Promise<Question> {
    const { rowId } = rowIdOf(questionId, ['Question'], 'questionId');
    return fresh(ctx, await ctx.services.moderation.lock(requireViewer(ctx.viewer), rowId, locked));
  }
}
