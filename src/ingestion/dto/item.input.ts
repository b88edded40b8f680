import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import GraphQLJSON from '../../common/json.scalar';
import { ID_MAX, ID_PATTERN, TAG_MAX, TAG_PATTERN, TAGS_MAX, TITLE_MAX } from '../limits';

@InputType('ItemInput', { description: 'An item to create or update.' })
export class ItemInput {
  @Field(() => ID, { description: 'The external id: 1..256 printable characters without leading or trailing spaces.' })
  @IsString()
  @Length(1, ID_MAX)
  @Matches(ID_PATTERN, { message: 'id must be printable characters without leading or trailing spaces' })
  id!: string;

  @Field(() => String, { nullable: true, description: `At most ${TITLE_MAX} characters; omitted keeps the stored title.` })
  @IsOptional()
  @IsString()
  @Length(1, TITLE_MAX)
  title?: string;

  @Field(() => [String], {
    nullable: true,
    description: `At most ${TAGS_MAX} tags of at most ${TAG_MAX} characters; replaces the stored tags when given.`,
  })
  @IsOptional()
  @ArrayMaxSize(TAGS_MAX)
  @IsString({ each: true })
  @Length(1, TAG_MAX, { each: true })
  @Matches(TAG_PATTERN, { each: true, message: 'each tag must be printable characters without leading or trailing spaces' })
  tags?: string[];

  @Field(() => GraphQLJSON, { nullable: true, description: 'Free-form JSON object, at most 4 KiB serialized.' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}
