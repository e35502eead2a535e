import { describedEnum } from '../../src/described-enum.js';

export const VoteValue = describedEnum('VoteValue', 'A vote on a post.', {
  UP: 'Counts +1 in the score.',
  DOWN: 'Counts -1 in the score.',
  NONE: 'Retracts the vote (in VoteInput only; never returned as viewerVote).',
});
export type VoteValue = (typeof VoteValue)[keyof typeof VoteValue];

export const QuestionOrder = describedEnum(
  'QuestionOrder',
  'How a list of questions is sorted. Every order is stable: ties fall back to the id.',
  {
    ACTIVE: 'Most recent activity (answer, reply or edit) first.',
    NEWEST: 'Most recently asked first.',
    TOP: 'Highest score first.',
    UNANSWERED: 'Only questions with no answer yet, most recently asked first.',
  },
);
export type QuestionOrder = (typeof QuestionOrder)[keyof typeof QuestionOrder];

export const AnswerOrder = describedEnum('AnswerOrder', 'How the answers of a question are sorted.', {
  TOP: 'Highest score first; equal scores oldest first.',
  NEWEST: 'Most recent first.',
  OLDEST: 'In the order they were written.',
});
export type AnswerOrder = (typeof AnswerOrder)[keyof typeof AnswerOrder];

export const ThreadEventKind = describedEnum('ThreadEventKind', 'What changed in a thread.', {
  ANSWER_ADDED: 'An answer was posted; `post` is the answer.',
  REPLY_ADDED: 'A reply was posted; `post` is the reply.',
  SCORE_CHANGED: "A post's score moved; `score` is the new score.",
  POST_EDITED: 'A post was edited; fetch `post` for its new body.',
  POST_DELETED:
    'A post was deleted, with everything under it; `post` is null. A post hidden by flags is deleted for every ' +
    'watcher but its author and moderators, who still read it: for them, when a flag on it is found helpful.',
  ANSWER_ACCEPTED: "The question's author accepted an answer; `post` is that answer.",
  ANSWER_UNACCEPTED:
    'An answer is no longer the accepted one (unaccepted, another one accepted, or deleted); `post` is that ' +
    'answer, null when deleted.',
  QUESTION_CLOSED: 'A moderator closed the question to new answers; `post` is the question.',
  QUESTION_REOPENED: 'A moderator reopened the question; `post` is the question.',
  QUESTION_LOCKED: 'A moderator locked the thread: members may no longer write in it; `post` is the question.',
  QUESTION_UNLOCKED: 'A moderator unlocked the thread; `post` is the question.',
  POST_RESTORED:
    'A moderator undeleted a post, with what its deletion took; `post` is the post, fetch its thread again.',
});
export type ThreadEventKind = (typeof ThreadEventKind)[keyof typeof ThreadEventKind];
