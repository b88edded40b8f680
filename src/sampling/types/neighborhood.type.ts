import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SamplingBiasEnum {
  UNIFORM = 'UNIFORM',
  WEIGHT = 'WEIGHT',
  RECENCY = 'RECENCY',
}
registerEnumType(SamplingBiasEnum, {
  name: 'SamplingBias',
  description:
    'UNIFORM: every edge alike; WEIGHT: probability grows with the edge weight; RECENCY: with exp(-lambda * age) of lastTs (half-life 30 days).',
});

export enum GraphNodeKindEnum {
  USER = 'USER',
  ITEM = 'ITEM',
}
registerEnumType(GraphNodeKindEnum, { name: 'GraphNodeKind' });

export enum SampledEdgeEnum {
  INTERACTED = 'INTERACTED',
  FRIEND = 'FRIEND',
}
registerEnumType(SampledEdgeEnum, { name: 'SampledEdge' });

@ObjectType('SampledNeighbor')
export class SampledNeighborType {
  @Field(() => ID) id!: string;
  @Field(() => GraphNodeKindEnum) kind!: GraphNodeKindEnum;
  @Field(() => Float, { description: 'INTERACTED.weight of the edge (FRIEND edges: 1.0).' }) weight!: number;
  @Field(() => ID, { description: 'The node of the previous hop this neighbour was sampled from.' }) parentId!: string;
  @Field(() => SampledEdgeEnum) edge!: SampledEdgeEnum;
}

@ObjectType('NeighborhoodHop')
export class NeighborhoodHopType {
  @Field(() => Int) hop!: number;
  @Field(() => Int, { description: 'At most this many neighbours per node of the previous hop.' }) fanout!: number;
  @Field(() => [SampledNeighborType]) neighbors!: SampledNeighborType[];
}

@ObjectType('Neighborhood')
export class NeighborhoodType {
  @Field(() => ID) seedId!: string;
  @Field(() => GraphNodeKindEnum) seedKind!: GraphNodeKindEnum;
  @Field(() => SamplingBiasEnum) bias!: SamplingBiasEnum;
  @Field(() => [NeighborhoodHopType]) hops!: NeighborhoodHopType[];
}

@ObjectType('RelatedItem')
export class RelatedItemType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => Float, { description: 'Importance weight: visits / all visits of the walks that did not land on the seed.' })
  weight!: number;
  @Field(() => Int) visits!: number;
}
