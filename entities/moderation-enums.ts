import { describedEnum } from '../src/described-enum.js';

export const Role = describedEnum(
  'Role',
  'What a user may do beyond writing: every account is a MEMBER unless an admin says otherwise.',
  {
    MEMBER: 'Asks, answers, replies, votes and flags.',
    MODERATOR:
      'Also edits, deletes and undeletes any post, closes and locks questions, handles flags and suspends members.',
    ADMIN: 'Also acts on moderators, and names moderators and admins with setUserRole.',
  },
);
export type Role = (typeof Role)[keyof typeof Role];

export const CloseReason = describedEnum('CloseReason', 'Why a question takes no new answers.', {
  DUPLICATE: 'Another question asks the same; `duplicateOf` is that question.',
  OFF_TOPIC: 'Not about what this site is for.',
  UNCLEAR: 'Nobody can tell what is asked.',
  TOO_BROAD: 'Asks too much for one answer.',
  SPAM: 'Advertising, not a question.',
});
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

export const FlagReason = describedEnum(
  'FlagReason',
  'Why a member flags a post. SPAM and RUDE flags from enough members hide it (see flagPost).',
  {
    SPAM: 'Advertising.',
    RUDE: 'Rude or abusive.',
    OFF_TOPIC: 'Not about what this site is for.',
    DUPLICATE: 'Asked before.',
    NEEDS_MODERATOR: 'Something else a moderator should look at; say what in `note`.',
  },
);
export type FlagReason = (typeof FlagReason)[keyof typeof FlagReason];

export const FlagStatus = describedEnum('FlagStatus', 'Where a flag stands in the moderators’ queue.', {
  OPEN: 'Waiting for a moderator.',
  HELPFUL: 'A moderator agreed: the post was deleted.',
  DECLINED: 'A moderator disagreed: the post stays (and is shown again if the flags hid it).',
});
export type FlagStatus = (typeof FlagStatus)[keyof typeof FlagStatus];

export const ModerationActionKind = describedEnum('ModerationActionKind', 'What a moderator or admin did.', {
  POST_EDITED: "Edited someone else's post.",
  POST_DELETED: "Deleted someone else's post.",
  POST_UNDELETED: 'Restored a deleted post.',
  QUESTION_CLOSED: 'Closed a question; `reason` is the close reason.',
  QUESTION_REOPENED: 'Reopened a closed question.',
  QUESTION_LOCKED: 'Locked a thread.',
  QUESTION_UNLOCKED: 'Unlocked a thread.',
  USER_SUSPENDED: 'Suspended a user; `reason` is the reason given.',
  USER_UNSUSPENDED: 'Ended a suspension early.',
  ROLE_CHANGED: "Changed a user's role; `reason` is the new role.",
  FLAG_HELPFUL: "Found a post's flags helpful and deleted it.",
  FLAG_DECLINED: "Declined a post's flags (showing it again if they hid it).",
});
export type ModerationActionKind = (typeof ModerationActionKind)[keyof typeof ModerationActionKind];
