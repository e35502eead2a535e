import { registerEnumType } from 'type-graphql';

export enum VoteValue {
  UP = 'UP',
  DOWN = 'DOWN',
  NONE = 'NONE',
}
registerEnumType(VoteValue, {
  name: 'VoteValue',
  description: 'A vote on a post.',
  valuesConfig: {
    UP: { description: 'Counts +1 in the score.' },
    DOWN: { description: 'Counts -1 in the score.' },
    NONE: { description: 'Retracts the vote (in VoteInput only; never returned as viewerVote).' },
  },
});

export enum QuestionOrder {
  ACTIVE = 'ACTIVE',
  NEWEST = 'NEWEST',
  TOP = 'TOP',
  UNANSWERED = 'UNANSWERED',
}
registerEnumType(QuestionOrder, {
  name: 'QuestionOrder',
  description: 'How a list of questions is sorted. Every order is stable: ties fall back to the id.',
  valuesConfig: {
    ACTIVE: { description: 'Most recent activity (answer, reply or edit) first.' },
    NEWEST: { description: 'Most recently asked first.' },
    TOP: { description: 'Highest score first.' },
    UNANSWERED: { description: 'Only questions with no answer yet, most recently asked first.' },
  },
});

export enum AnswerOrder {
  TOP = 'TOP',
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
}
registerEnumType(AnswerOrder, {
  name: 'AnswerOrder',
  description: 'How the answers of a question are sorted.',
  valuesConfig: {
    TOP: { description: 'Highest score first; equal scores oldest first.' },
    NEWEST: { description: 'Most recent first.' },
    OLDEST: { description: 'In the order they were written.' },
  },
});

export enum ThreadEventKind {
  ANSWER_ADDED = 'ANSWER_ADDED',
  REPLY_ADDED = 'REPLY_ADDED',
  SCORE_CHANGED = 'SCORE_CHANGED',
  POST_EDITED = 'POST_EDITED',
  POST_DELETED = 'POST_DELETED',
  ANSWER_ACCEPTED = 'ANSWER_ACCEPTED',
  ANSWER_UNACCEPTED = 'ANSWER_UNACCEPTED',
  QUESTION_CLOSED = 'QUESTION_CLOSED',
  QUESTION_REOPENED = 'QUESTION_REOPENED',
  QUESTION_LOCKED = 'QUESTION_LOCKED',
  QUESTION_UNLOCKED = 'QUESTION_UNLOCKED',
  POST_RESTORED = 'POST_RESTORED',
}
registerEnumType(ThreadEventKind, {
  name: 'ThreadEventKind',
  description: 'What changed in a thread.',
  valuesConfig: {
    ANSWER_ADDED: { description: 'An answer was posted; `post` is the answer.' },
    REPLY_ADDED: { description: 'A reply was posted; `post` is the reply.' },
    SCORE_CHANGED: { description: "A post's score moved; `score` is the new score." },
    POST_EDITED: { description: 'A post was edited; fetch `post` for its new body.' },
    POST_DELETED: {
      description:
        'A post was deleted, with everything under it; `post` is null. A post hidden by flags is deleted for ' +
        'every watcher but its author and moderators, who still read it: for them, when a flag on it is found ' +
        'helpful.',
    },
    ANSWER_ACCEPTED: { description: "The question's author accepted an answer; `post` is that answer." },
    ANSWER_UNACCEPTED: {
      description:
        'An answer is no longer the accepted one (unaccepted, another one accepted, or deleted); `post` is that ' +
        'answer, null when deleted.',
    },
    QUESTION_CLOSED: { description: 'A moderator closed the question to new answers; `post` is the question.' },
    QUESTION_REOPENED: { description: 'A moderator reopened the question; `post` is the question.' },
    QUESTION_LOCKED: {
      description: 'A moderator locked the thread: members may no longer write in it; `post` is the question.',
    },
    QUESTION_UNLOCKED: { description: 'A moderator unlocked the thread; `post` is the question.' },
    POST_RESTORED: {
      description:
        'A moderator undeleted a post, with what its deletion took; `post` is the post, fetch its thread again.',
    },
  },
});
