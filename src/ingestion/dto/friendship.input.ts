import { Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ID_MAX, ID_PATTERN } from '../limits';

const idMessage = { message: 'must be printable characters without leading or trailing spaces' };

@InputType('FriendshipPairInput', { description: 'An unordered pair of user ids.' })
export class FriendshipPairInput {
  @Field(() => ID, { description: 'One user of the pair (must exist).' })
  @IsString()
  @Length(1, ID_MAX)
  @Matches(ID_PATTERN, idMessage)
  a!: string;

  @Field(() => ID, { description: 'The other user of the pair (must exist, not the same as a).' })
  @IsString()
  @Length(1, ID_MAX)
  @Matches(ID_PATTERN, idMessage)
  b!: string;
}

@InputType('FriendshipInput', { description: 'A friendship between two existing users (stored once per unordered pair).' })
export class FriendshipInput extends FriendshipPairInput {
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the friendship began; a repeated pair keeps the earliest.' })
  @IsOptional()
  @IsDate()
  since?: Date;
}
