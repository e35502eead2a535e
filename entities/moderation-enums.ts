import { registerEnumType } from 'type-graphql';

export enum Role {
  MEMBER = 'MEMBER',
  MODERATOR = 'MODERATOR',
  ADMIN = 'ADMIN',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do beyond writing: every account is a MEMBER unless an admin says otherwise.',
  valuesConfig: {
    MEMBER: { description: 'Asks, answers, replies, votes and flags.' },
    MODERATOR: {
      description:
        'Also edits, deletes and undeletes any post, closes and locks questions, handles flags and suspends members.',
    },
    ADMIN: { description: 'Also acts on moderators, and names moderators and admins with setUserRole.' },
  },
});

export enum CloseReason {
  DUPLICATE = 'DUPLICATE',
  OFF_TOPIC = 'OFF_TOPIC',
  UNCLEAR = 'UNCLEAR',
  TOO_BROAD = 'TOO_BROAD',
  SPAM = 'SPAM',
}
registerEnumType(CloseReason, {
  name: 'CloseReason',
  description: 'Why a question takes no new answers.',
  valuesConfig: {
    DUPLICATE: { description: 'Another question asks the same; `duplicateOf` is that question.' },
    OFF_TOPIC: { description: 'Not about what this site is for.' },
    UNCLEAR: { description: 'Nobody can tell what is asked.' },
    TOO_BROAD: { description: 'Asks too much for one answer.' },
    SPAM: { description: 'Advertising, not a question.' },
  },
});

export enum FlagReason {
  SPAM = 'SPAM',
  RUDE = 'RUDE',
  OFF_TOPIC = 'OFF_TOPIC',
  DUPLICATE = 'DUPLICATE',
  NEEDS_MODERATOR = 'NEEDS_MODERATOR',
}
registerEnumType(FlagReason, {
  name: 'FlagReason',
  description: 'Why a member flags a post. SPAM and RUDE flags from enough members hide it (see flagPost).',
  valuesConfig: {
    SPAM: { description: 'Advertising.' },
    RUDE: { description: 'Rude or abusive.' },
    OFF_TOPIC: { description: 'Not about what this site is for.' },
    DUPLICATE: { description: 'Asked before.' },
    NEEDS_MODERATOR: { description: 'Something else a moderator should look at; say what in `note`.' },
  },
});

export enum FlagStatus {
  OPEN = 'OPEN',
  HELPFUL = 'HELPFUL',
  DECLINED = 'DECLINED',
}
registerEnumType(FlagStatus, {
  name: 'FlagStatus',
  description: 'Where a flag stands in the moderators’ queue.',
  valuesConfig: {
    OPEN: { description: 'Waiting for a moderator.' },
    HELPFUL: { description: 'A moderator agreed: the post was deleted.' },
    DECLINED: { description: 'A moderator disagreed: the post stays (and is shown again if the flags hid it).' },
  },
});

export enum ModerationActionKind {
  POST_EDITED = 'POST_EDITED',
  POST_DELETED = 'POST_DELETED',
  POST_UNDELETED = 'POST_UNDELETED',
  QUESTION_CLOSED = 'QUESTION_CLOSED',
  QUESTION_REOPENED = 'QUESTION_REOPENED',
  QUESTION_LOCKED = 'QUESTION_LOCKED',
  QUESTION_UNLOCKED = 'QUESTION_UNLOCKED',
  USER_SUSPENDED = 'USER_SUSPENDED',
  USER_UNSUSPENDED = 'USER_UNSUSPENDED',
  ROLE_CHANGED = 'ROLE_CHANGED',
  FLAG_HELPFUL = 'FLAG_HELPFUL',
  FLAG_DECLINED = 'FLAG_DECLINED',
}
registerEnumType(ModerationActionKind, {
  name: 'ModerationActionKind',
  description: 'What a moderator or admin did.',
  valuesConfig: {
    POST_EDITED: { description: "Edited someone else's post." },
    POST_DELETED: { description: "Deleted someone else's post." },
    POST_UNDELETED: { description: 'Restored a deleted post.' },
    QUESTION_CLOSED: { description: 'Closed a question; `reason` is the close reason.' },
    QUESTION_REOPENED: { description: 'Reopened a closed question.' },
    QUESTION_LOCKED: { description: 'Locked a thread.' },
    QUESTION_UNLOCKED: { description: 'Unlocked a thread.' },
    USER_SUSPENDED: { description: 'Suspended a user; `reason` is the reason given.' },
    USER_UNSUSPENDED: { description: 'Ended a suspension early.' },
    ROLE_CHANGED: { description: "Changed a user's role; `reason` is the new role." },
    FLAG_HELPFUL: { description: "Found a post's flags helpful and deleted it." },
    FLAG_DECLINED: { description: "Declined a post's flags (showing it again if they hid it)." },
  },
});
