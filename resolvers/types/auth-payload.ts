import { Field, ObjectType } from 'type-graphql';
import { User } from '../../entities/user.entity.js';

@ObjectType('AuthPayload', { description: 'A new session.' })
export class AuthPayload {
  @Field({ description: 'Send it as `Authorization: Bearer <token>`. Valid 30 days, until logOut.' })
  token: string;

  @Field(() => User)
  user: User;
}
