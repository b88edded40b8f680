import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsEnum, IsInt, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FirstField } from '../../common/pagination/page-size';
import { ID_MAX } from '../../ingestion/limits';
import { MAX_FANOUT, MAX_HOPS, MAX_RELATED, MAX_WALK_LENGTH, MAX_WALKS } from '../sampling.settings';
import { SamplingBiasEnum } from '../types/neighborhood.type';

@ArgsType()
export class SampleNeighborhoodArgs {
  @Field(() => ID, { description: 'A user or item id; unknown: NOT_FOUND NODE_NOT_FOUND.' })
  @MinLength(1)
  @MaxLength(ID_MAX)
  seedId!: string;

  @Field(() => [Int], { defaultValue: [10, 5], description: `Fan-out per hop: 1 to ${MAX_HOPS} hops, each 1..${MAX_FANOUT}.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HOPS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_FANOUT, { each: true })
  fanouts!: number[];

  @Field(() => SamplingBiasEnum, { defaultValue: SamplingBiasEnum.UNIFORM, description: 'How neighbours are drawn.' })
  @IsEnum(SamplingBiasEnum)
  bias!: SamplingBiasEnum;

  @Field(() => Boolean, { defaultValue: false, description: 'Also sample FRIEND edges of users.' })
  @IsBoolean()
  includeFriends!: boolean;
}

@ArgsType()
export class RelatedItemsArgs {
  @Field(() => ID, { description: 'The seed item; unknown: NOT_FOUND ITEM_NOT_FOUND.' })
  @MinLength(1)
  @MaxLength(ID_MAX)
  itemId!: string;

  @FirstField(MAX_RELATED)
  first!: number;

  @Field(() => Int, { defaultValue: 20, description: `Random walks from the item, 1..${MAX_WALKS}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_WALKS)
  walks!: number;

  @Field(() => Int, { defaultValue: 4, description: `Item -> user -> item steps per walk, 1..${MAX_WALK_LENGTH}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_WALK_LENGTH)
  length!: number;
}
