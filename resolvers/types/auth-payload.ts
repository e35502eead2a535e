import { Field, ObjectType } from 'type-graphql';
import { User } from '../../entities/user.entity.js';

@ObjectType('AuthPayload', { description: 'A new session.' })
export class AuthPayload {
  @Field({
    description:
      'Send it as `Authorization: Bearer <token>` (on WebSocket, in connection_init as ' +
      '`{ "authorization": "Bearer <token>" }`). Valid 30 days, or until logOut.',
  })
  token: string;

  @Field(() => User, { description: 'The signed-in user.' })
  user: User;
}
