import 'reflect-metadata';
import { assertValidSchema, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { Realtime } from './realtime/pubsub.js';
import { AnswerResolver } from '../resolvers/answer.resolver.js';
import { FlagResolver } from '../resolvers/flag.resolver.js';
import { ModerationActionResolver } from '../resolvers/moderation-action.resolver.js';
import { PostModerationResolver } from '../resolvers/post-moderation.resolver.js';
import { QuestionModerationResolver } from '../resolvers/question-moderation.resolver.js';
import { UserModerationResolver } from '../resolvers/user-moderation.resolver.js';
import { NodeResolver } from '../resolvers/node.resolver.js';
import { NotificationResolver } from '../resolvers/notification.resolver.js';
import { PostRevisionResolver } from '../resolvers/post-revision.resolver.js';
import { PostResolver } from '../resolvers/post.resolver.js';
import { QuestionResolver } from '../resolvers/question.resolver.js';
import { ReplyResolver } from '../resolvers/reply.resolver.js';
import { SearchResolver } from '../resolvers/search.resolver.js';
import { SubscriptionResolver } from '../resolvers/subscription.resolver.js';
import { TagResolver } from '../resolvers/tag.resolver.js';
import { ThreadEventResolver } from '../resolvers/thread-event.resolver.js';
import { UserResolver } from '../resolvers/user.resolver.js';

/**
 * Builds the executable schema from the resolver classes. Subscriptions read their own streams
 * (src/realtime), but type-graphql insists on being given the pub/sub they come from.
 */
export async function buildThreadSchema(pubSub: Realtime['pubsub']): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    pubSub,
    resolvers: [
      NodeResolver,
      PostResolver,
      PostRevisionResolver,
      QuestionResolver,
      AnswerResolver,
      ReplyResolver,
      UserResolver,
      TagResolver,
      SearchResolver,
      SubscriptionResolver,
      NotificationResolver,
      ThreadEventResolver,
      PostModerationResolver,
      QuestionModerationResolver,
      UserModerationResolver,
      FlagResolver,
      ModerationActionResolver,
    ],
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    validate: false,
    emitSchemaFile: false,
    // Its check runs a whole introspection query (a sixth of a start's CPU after loading modules);
    // graphql's own validation below finds the same errors.
    skipCheck: true,
  });
  assertValidSchema(schema);
  describeRootTypes(schema);
  return schema;
}

/** type-graphql creates the root types itself and takes no description for them. */
function describeRootTypes(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query) {
    query.description =
      'Reads. Anyone may read without a token; with one, `viewer`, the notifications, viewerVote, viewerCanEdit ' +
      'and viewerIsFollowing answer for its user. A malformed, expired or revoked token is UNAUTHENTICATED on any ' +
      'request.';
  }
  if (mutation) {
    mutation.description =
      'Writes. All but signUp and logIn need `Authorization: Bearer <token>` (UNAUTHENTICATED without). Every ' +
      'error has extensions.code; BAD_USER_INPUT also names extensions.field and extensions.rule. No text may ' +
      'hold the NUL character (rule characters).';
  }
  if (subscription) {
    subscription.description =
      'Live updates over WebSocket at /graphql (graphql-transport-ws); the token goes in connection_init as ' +
      '`{ "authorization": "Bearer <token>" }`.';
  }
}

/** The schema as committed in schema/schema.graphql: sorted SDL. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
