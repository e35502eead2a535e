import type { Database } from '../db/database.js';
import type { Sessions } from '../auth/sessions.js';
import type { Config } from '../config.js';
import type { Realtime } from '../realtime/pubsub.js';
import { AnswerService } from './answer.service.js';
import { FlagService } from './flag.service.js';
import { ModerationService } from './moderation.service.js';
import { NotificationService } from './notification.service.js';
import { PostService } from './post.service.js';
import { QuestionService } from './question.service.js';
import type { RateLimits } from './rate-limits.js';
import { StandingService } from './standing.service.js';
import { UserService } from './user.service.js';
import { VoteService } from './vote.service.js';

/** The rules of the service, each over the one Database. */
export interface Services {
  users: UserService;
  questions: QuestionService;
  answers: AnswerService;
  posts: PostService;
  votes: VoteService;
  notifications: NotificationService;
  flags: FlagService;
  moderation: ModerationService;
  standing: StandingService;
}

/**
 * Builds the services; writes publish their committed events on `realtime` and count against
 * `rateLimits`; a logOut drops its session from `sessions` at once.
 */
export function createServices(
  db: Database,
  realtime: Realtime,
  config: Pick<Config, 'sessionTtlSeconds'> & Partial<Pick<Config, 'adminUsernames' | 'flagsToHide'>>,
  rateLimits: RateLimits,
  sessions: Pick<Sessions, 'forget' | 'forgetUser'>,
): Services {
  return {
    users: new UserService(db, config.sessionTtlSeconds, realtime, rateLimits, sessions, config.adminUsernames),
    questions: new QuestionService(db, realtime, rateLimits),
    answers: new AnswerService(db, realtime, rateLimits),
    posts: new PostService(db, realtime),
    votes: new VoteService(db, realtime, rateLimits),
    notifications: new NotificationService(db),
    flags: new FlagService(db, realtime, rateLimits, config.flagsToHide ?? 3),
    moderation: new ModerationService(db, realtime),
    standing: new StandingService(db, realtime, sessions),
  };
}
