import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ItemType } from '../../ingestion/types/item.type';
import { UserType } from '../../ingestion/types/user.type';

export enum SamplingBiasEnum {
  UNIFORM = 'UNIFORM',
  WEIGHT = 'WEIGHT',
  RECENCY = 'RECENCY',
}
registerEnumType(SamplingBiasEnum, {
  name: 'SamplingBias',
  description: 'How neighbours are drawn.',
  valuesMap: {
    UNIFORM: { description: 'Every edge alike.' },
    WEIGHT: { description: 'Probability grows with the edge weight.' },
    RECENCY: { description: 'Probability grows with exp(-lambda * age) of lastTs (half-life 30 days).' },
  },
});

export enum GraphNodeKindEnum {
  USER = 'USER',
  ITEM = 'ITEM',
}
registerEnumType(GraphNodeKindEnum, {
  name: 'GraphNodeKind',
  description: 'The label of a graph node.',
  valuesMap: { USER: { description: 'A User node.' }, ITEM: { description: 'An Item node.' } },
});

export enum SampledEdgeEnum {
  INTERACTED = 'INTERACTED',
  FRIEND = 'FRIEND',
}
registerEnumType(SampledEdgeEnum, {
  name: 'SampledEdge',
  description: 'The relationship a neighbour was reached through.',
  valuesMap: { INTERACTED: { description: 'A user-item interaction.' }, FRIEND: { description: 'A user-user friendship.' } },
});

@ObjectType('SampledNeighbor', { description: 'One sampled neighbour (a node may appear under several parents and at several hops).' })
export class SampledNeighborType {
  @Field(() => ID, {
    description:
      "Opaque id of this entry of the sample, the same for the same (seed, hop, parent, edge, node): a node reached from two parents or at two hops has two. Not the node's id: use nodeId.",
  })
  id!: string;
  @Field(() => ID, { description: "The neighbour node's external id." }) nodeId!: string;
  @Field(() => GraphNodeKindEnum, { description: 'User or item.' }) kind!: GraphNodeKindEnum;
  /** Resolved by SampledNeighborResolver (one batched read per request, only when selected). */
  @Field(() => UserType, { nullable: true, description: 'The neighbour when it is a user (null for an item, or a user deleted since).' })
  user?: UserType | null;
  /** Resolved by SampledNeighborResolver (one batched read per request, only when selected). */
  @Field(() => ItemType, { nullable: true, description: 'The neighbour when it is an item (null for a user, or an item deleted since).' })
  item?: ItemType | null;
  @Field(() => Float, { description: 'INTERACTED.weight of the edge (FRIEND edges: 1.0).' }) weight!: number;
  @Field(() => ID, { description: 'The node of the previous hop this neighbour was sampled from.' }) parentId!: string;
  @Field(() => SampledEdgeEnum, { description: 'The relationship it was reached through.' }) edge!: SampledEdgeEnum;
}

@ObjectType('NeighborhoodHop', { description: 'The neighbours drawn at one hop.' })
export class NeighborhoodHopType {
  @Field(() => Int, { description: '1-based hop number.' }) hop!: number;
  @Field(() => Int, { description: 'At most this many neighbours per node of the previous hop.' }) fanout!: number;
  @Field(() => [SampledNeighborType], { description: 'The neighbours drawn at this hop.' }) neighbors!: SampledNeighborType[];
}

@ObjectType('Neighborhood', { description: 'A k-hop neighbour sample around one seed node.' })
export class NeighborhoodType {
  @Field(() => ID, { description: "The seed node's external id." }) seedId!: string;
  @Field(() => GraphNodeKindEnum, { description: 'Whether the seed is a user or an item.' }) seedKind!: GraphNodeKindEnum;
  @Field(() => SamplingBiasEnum, { description: 'How neighbours were drawn.' }) bias!: SamplingBiasEnum;
  @Field(() => [NeighborhoodHopType], { description: 'One entry per hop, in order.' }) hops!: NeighborhoodHopType[];
}

@ObjectType('RelatedItem', { description: 'An item that random walks from the seed item visited.' })
export class RelatedItemType {
  @Field(() => ID, {
    description:
      'Opaque id of this result, unique per (seed item, walks, length, item): each call is a fresh sample. Not the item id: use item.id.',
  })
  id!: string;
  @Field(() => ItemType, { description: 'The related item.' }) item!: ItemType;
  @Field(() => Float, { description: 'Importance weight: visits / all visits of the walks that did not land on the seed, 0..1.' })
  weight!: number;
  @Field(() => Int, { description: 'Walk steps that landed on the item, >= 1.' }) visits!: number;
}
