import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MODEL_KIND_ENUM } from '../../model-registry/model-kinds';
import { ID_MAX, ID_PATTERN, PAGE_MAX, PAGE_MIN, TAG_MAX, TAG_PATTERN } from '../../ingestion/limits';

export const ServingModelChoice = { ACTIVE: 'ACTIVE', ...MODEL_KIND_ENUM } as const;
export type ServingModelChoice = keyof typeof ServingModelChoice;
registerEnumType(ServingModelChoice, {
  name: 'ServingModelChoice',
  description: 'ACTIVE: the active version (popularity when none); a model kind (LIGHTGCN, SOCIALGCN, NGCF, GCN, GAT, GRAPHSAGE, PINSAGE): the latest activated version of that kind (UNAVAILABLE NO_MODEL when there is none).',
});

/** Filter lists are bounded. */
export const FILTER_TAGS_MAX = 50;
export const FILTER_IDS_MAX = 1_000;

@InputType('RecommendationFilter')
export class RecommendationFilterInput {
  @Field(() => [String], { nullable: true, description: 'Only items with at least one of these tags. Unknown tags: BAD_USER_INPUT UNKNOWN_TAGS.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILTER_TAGS_MAX)
  @IsString({ each: true })
  @MaxLength(TAG_MAX, { each: true })
  @Matches(TAG_PATTERN, { each: true, message: 'each tag must be printable characters without leading or trailing spaces' })
  includeTags?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'No item with any of these tags. Unknown tags: BAD_USER_INPUT UNKNOWN_TAGS.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILTER_TAGS_MAX)
  @IsString({ each: true })
  @MaxLength(TAG_MAX, { each: true })
  @Matches(TAG_PATTERN, { each: true, message: 'each tag must be printable characters without leading or trailing spaces' })
  excludeTags?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Items never to return (unknown ids are simply ignored).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILTER_IDS_MAX)
  @IsString({ each: true })
  @MaxLength(ID_MAX, { each: true })
  @Matches(ID_PATTERN, { each: true, message: 'each id must be printable characters without leading or trailing spaces' })
  excludeItemIds?: string[] | null;
}

@ArgsType()
export class RecommendationsArgs {
  @Field(() => ID)
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'must be printable characters without leading or trailing spaces' })
  userId!: string;

  @Field(() => Int, { defaultValue: 20, description: `Page size, ${PAGE_MIN}..${PAGE_MAX}.` })
  @IsInt()
  @Min(PAGE_MIN)
  @Max(PAGE_MAX)
  first!: number;

  @Field(() => String, { nullable: true, description: "A previous page's endCursor (or any edge's cursor)." })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  after?: string | null;

  @Field(() => RecommendationFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecommendationFilterInput)
  filter?: RecommendationFilterInput | null;

  @Field(() => ServingModelChoice, { defaultValue: ServingModelChoice.ACTIVE })
  @IsEnum(ServingModelChoice)
  model!: ServingModelChoice;

  @Field(() => Boolean, { defaultValue: false, description: 'Explain each recommendation (friends who interacted with it, your most similar items).' })
  @IsBoolean()
  explain!: boolean;
}

@ArgsType()
export class SimilarItemsArgs {
  @Field(() => ID)
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'must be printable characters without leading or trailing spaces' })
  itemId!: string;

  @Field(() => Int, { defaultValue: 20, description: `${PAGE_MIN}..${PAGE_MAX}.` })
  @IsInt()
  @Min(PAGE_MIN)
  @Max(PAGE_MAX)
  first!: number;
}
