import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';

@ObjectType('User', { description: 'Someone who interacts with items, has friends, and gets recommendations.' })
export class UserType {
  @Field(() => ID, { description: 'The external id given at creation (up to 256 printable characters).' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Display name (null when never given).' }) name!: string | null;
  /** Absent on references another domain returns; UsersResolver reads it then. */
  @Field(() => GraphQLISODateTime, { description: 'When the user was first created.' }) createdAt?: Date;
  @Field(() => GraphQLJSON, { description: 'The free-form JSON object given at creation or update ({} when none).' })
  attributes?: Record<string, unknown>;
}
