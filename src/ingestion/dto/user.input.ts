import { Field, ID, InputType } from '@nestjs/graphql';
import { IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import GraphQLJSON from '../../common/json.scalar';
import { ID_MAX, ID_PATTERN, NAME_MAX } from '../limits';

@InputType('UserInput', { description: 'A user to create or update.' })
export class UserInput {
  @Field(() => ID, { description: 'The external id: 1..256 printable characters without leading or trailing spaces.' })
  @IsString()
  @Length(1, ID_MAX)
  @Matches(ID_PATTERN, { message: 'id must be printable characters without leading or trailing spaces' })
  id!: string;

  @Field(() => String, { nullable: true, description: `Display name, 1..${NAME_MAX} characters; omitted keeps the stored name.` })
  @IsOptional()
  @IsString()
  @Length(1, NAME_MAX)
  name?: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Free-form JSON object, at most 4 KiB serialized.' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}
