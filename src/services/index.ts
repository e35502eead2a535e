import type { DataSource } from 'typeorm';
import type { Config } from '../config.js';
import { AnswerService } from './answer.service.js';
import { PostService } from './post.service.js';
import { QuestionService } from './question.service.js';
import { UserService } from './user.service.js';
import { VoteService } from './vote.service.js';

/** The rules of the service, each over the one DataSource. */
export interface Services {
  users: UserService;
  questions: QuestionService;
  answers: AnswerService;
  posts: PostService;
  votes: VoteService;
}

export function createServices(db: DataSource, config: Pick<Config, 'sessionTtlSeconds'>): Services {
  return {
    users: new UserService(db, config.sessionTtlSeconds),
    questions: new QuestionService(db),
    answers: new AnswerService(db),
    posts: new PostService(db),
    votes: new VoteService(db),
  };
}
