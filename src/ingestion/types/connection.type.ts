import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoType } from '../../common/pagination/page-info.type';
import { ItemType } from './item.type';
import { UserType } from './user.type';

export { PageInfoType } from '../../common/pagination/page-info.type';

/** The split an imported dataset gave an interaction; the GraphQL names are the stored values upper-cased. */
export enum InteractionSplit {
  TRAIN = 'train',
  TEST = 'test',
}
registerEnumType(InteractionSplit, {
  name: 'InteractionSplit',
  description: "The split a research dataset's import gave an interaction (live events and unsplit imports have none).",
  valuesMap: { TRAIN: { description: 'A training interaction.' }, TEST: { description: 'A held-out test interaction.' } },
});

@ObjectType('Interaction', { description: 'The one INTERACTED edge of a (user, item) pair: the merge of all its events.' })
export class InteractionType {
  @Field(() => ItemType, { description: 'The item interacted with.' }) item!: ItemType;
  @Field({ description: 'Type of the latest event (one of INGEST_EVENT_WEIGHTS, e.g. VIEW, LIKE, PLAY, RATING).' }) type!: string;
  @Field(() => [String], { description: 'Distinct event types seen.' }) types!: string[];
  @Field(() => Float, { description: 'The merged weight of every event of the pair (sum of their weights), >= 0.' }) weight!: number;
  @Field(() => Int, { description: 'Events merged into this edge, >= 1.' }) count!: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Time of the earliest event (null when no event had one).' })
  firstTs!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Time of the latest event (null when no event had one).' })
  lastTs!: Date | null;
  @Field(() => InteractionSplit, { nullable: true, description: 'TRAIN or TEST for split dataset imports; null for live events.' })
  split!: InteractionSplit | null;
}

@ObjectType('InteractionEdge', { description: 'One interaction of the page, with its cursor.' })
export class InteractionEdgeType {
  @Field({ description: 'Pass as `after` to continue after this edge.' }) cursor!: string;
  @Field(() => InteractionType, { description: 'The interaction.' }) node!: InteractionType;
}

@ObjectType('InteractionConnection', { description: "A page of a user's interactions, ordered by item id." })
export class InteractionConnectionType {
  @Field(() => [InteractionEdgeType], { description: "This page's interactions." }) edges!: InteractionEdgeType[];
  @Field(() => PageInfoType, { description: 'Where this page sits in the list.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: "All the user's interactions (every page)." }) totalCount!: number;
}

@ObjectType('Friend', { description: 'A FRIEND edge seen from one of its two users.' })
export class FriendType {
  @Field(() => UserType, { description: 'The other user.' }) user!: UserType;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the friendship began (null when unknown).' }) since!: Date | null;
}

@ObjectType('FriendEdge', { description: 'One friend of the page, with its cursor.' })
export class FriendEdgeType {
  @Field({ description: 'Pass as `after` to continue after this edge.' }) cursor!: string;
  @Field(() => FriendType, { description: 'The friendship.' }) node!: FriendType;
}

@ObjectType('FriendConnection', { description: "A page of a user's friends, ordered by friend id." })
export class FriendConnectionType {
  @Field(() => [FriendEdgeType], { description: "This page's friends." }) edges!: FriendEdgeType[];
  @Field(() => PageInfoType, { description: 'Where this page sits in the list.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: "All the user's friends (every page)." }) totalCount!: number;
}
