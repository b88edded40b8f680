import { applyDecorators } from '@nestjs/common';
import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MODEL_KIND_ENUM, MODEL_KINDS } from '../../model-registry/model-kinds';
import { AFTER_DESCRIPTION, FirstField, PAGE_MAX } from '../../common/pagination/page-size';
import { ID_MAX, ID_PATTERN, TAG_MAX, TAG_PATTERN } from '../../ingestion/limits';

export const ServingModelChoice = { ACTIVE: 'ACTIVE', ...MODEL_KIND_ENUM } as const;
export type ServingModelChoice = keyof typeof ServingModelChoice;
registerEnumType(ServingModelChoice, {
  name: 'ServingModelChoice',
  description: 'Which model ranks a request.',
  valuesMap: {
    ACTIVE: { description: 'The active version (popularity when none).' },
    ...Object.fromEntries(
      MODEL_KINDS.map((k) => [k, { description: `The latest activated ${k} version (UNAVAILABLE NO_MODEL when there is none).` }]),
    ),
  },
});

/** Filter lists are bounded. */
export const FILTER_TAGS_MAX = 50;
export const FILTER_IDS_MAX = 1_000;

/** An optional list of at most `max` strings, each at most `maxLength` long and matching `pattern`. */
const BoundedStrings = (max: number, maxLength: number, pattern: RegExp, message: string) =>
  applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(max),
    IsString({ each: true }),
    MaxLength(maxLength, { each: true }),
    Matches(pattern, { each: true, message }),
  );

const TagList = (description: string) =>
  applyDecorators(
    Field(() => [String], { nullable: true, description }),
    BoundedStrings(FILTER_TAGS_MAX, TAG_MAX, TAG_PATTERN, 'each tag must be printable characters without leading or trailing spaces'),
  );

@InputType('RecommendationFilter', {
  description: 'Restricts which items a ranking may return; at most 50 tags per list and 1,000 excluded ids.',
})
export class RecommendationFilterInput {
  @TagList('Only items with at least one of these tags. Unknown tags: BAD_USER_INPUT UNKNOWN_TAGS.')
  includeTags?: string[] | null;

  @TagList('No item with any of these tags. Unknown tags: BAD_USER_INPUT UNKNOWN_TAGS.')
  excludeTags?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Items never to return (unknown ids are simply ignored).' })
  @BoundedStrings(FILTER_IDS_MAX, ID_MAX, ID_PATTERN, 'each id must be printable characters without leading or trailing spaces')
  excludeItemIds?: string[] | null;
}

@ArgsType()
export class RecommendationsArgs {
  @Field(() => ID, { description: 'The user to recommend to; unknown: NOT_FOUND USER_NOT_FOUND.' })
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'must be printable characters without leading or trailing spaces' })
  userId!: string;

  @FirstField(PAGE_MAX)
  first!: number;

  @Field(() => String, { nullable: true, description: `${AFTER_DESCRIPTION} After a model swap: BAD_USER_INPUT STALE_CURSOR.` })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  after?: string | null;

  @Field(() => RecommendationFilterInput, { nullable: true, description: 'Tag and id filters (none by default).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecommendationFilterInput)
  filter?: RecommendationFilterInput | null;

  @Field(() => ServingModelChoice, { defaultValue: ServingModelChoice.ACTIVE, description: 'Which model ranks (default: the active one).' })
  @IsEnum(ServingModelChoice)
  model!: ServingModelChoice;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Explain each recommendation (friends who interacted with it, your most similar items).',
  })
  @IsBoolean()
  explain!: boolean;
}

@ArgsType()
export class SimilarItemsArgs {
  @Field(() => ID, { description: 'The seed item; unknown: NOT_FOUND ITEM_NOT_FOUND.' })
  @IsString()
  @MinLength(1)
  @MaxLength(ID_MAX)
  @Matches(ID_PATTERN, { message: 'must be printable characters without leading or trailing spaces' })
  itemId!: string;

  @FirstField(PAGE_MAX)
  first!: number;

  @Field(() => String, { nullable: true, description: `${AFTER_DESCRIPTION} After a model swap: BAD_USER_INPUT STALE_CURSOR.` })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  after?: string | null;
}
