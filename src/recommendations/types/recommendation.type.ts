import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfoType } from '../../common/pagination/page-info.type';
import { ItemType } from '../../ingestion/types/item.type';
import { UserType } from '../../ingestion/types/user.type';
import { ModelKindEnum } from '../../model-registry/types/model-version.type';

export enum ServingPathEnum {
  FOLD_IN = 'FOLD_IN',
  FRIENDS = 'FRIENDS',
  POPULAR = 'POPULAR',
}

registerEnumType(ServingPathEnum, {
  name: 'ServingPath',
  description: 'How a ranking was made.',
  valuesMap: {
    FOLD_IN: { description: "The user's current items (and friends) folded in by the model's encoder." },
    FRIENDS: { description: "No items yet: friends' tastes blended with popularity." },
    POPULAR: { description: 'Popularity: no items, no friends the model knows, or no model.' },
  },
});

const RESULT_ID =
  'Opaque id of this result, unique per (user, model version, filter, model choice, explain, item): a normalised client cache never merges two answers that differ. Not the item id: use item.id.';

@ObjectType('ExplanationFriend', { description: 'A friend who interacted with the item, through a FRIEND edge the model kept.' })
export class ExplanationFriendType {
  @Field(() => ID, { description: 'Opaque id of this entry, unique per recommendation and friend.' }) id!: string;
  @Field(() => UserType, { description: 'The friend.' }) user!: UserType;
  @Field(() => Float, { nullable: true, description: "The model's attention of the user on this friend, 0..1 (null when it has none)." })
  attention!: number | null;
}

@ObjectType('ExplanationItem', { description: "One of the user's own items, by cosine similarity of item embeddings." })
export class ExplanationItemType {
  @Field(() => ID, { description: 'Opaque id of this entry, unique per recommendation and item.' }) id!: string;
  @Field(() => ItemType, { description: "The user's item." }) item!: ItemType;
  @Field(() => Float, { description: 'Cosine similarity to the recommended item, -1..1.' }) similarity!: number;
}

@ObjectType('Explanation', { description: 'Why an item was recommended.' })
export class ExplanationType {
  @Field({ description: 'e.g. "Because you like X and Y, and your friends A and B like it."' }) sentence!: string;
  @Field(() => [ExplanationFriendType], { description: 'Friends who interacted with the item, highest attention first; at most 10.' })
  friends!: ExplanationFriendType[];
  @Field(() => [ExplanationItemType], { description: "The user's items most similar to this one; at most 3." })
  basedOn!: ExplanationItemType[];
}

@ObjectType('Recommendation', { description: 'One ranked item for one user, with the per-request fields beside the item.' })
export class RecommendationType {
  @Field(() => ID, { description: RESULT_ID }) id!: string;
  @Field(() => ItemType, { description: 'The recommended item.' }) item!: ItemType;
  @Field(() => Float, {
    description: 'FOLD_IN: model score (dot product); FRIENDS: blend in [0,1]; POPULAR: number of users who interacted.',
  })
  score!: number;
  @Field(() => Int, { description: '1-based position in the whole ranking.' }) rank!: number;
  @Field({ description: 'An item the model has never seen (scored by its tags), or without a model one nobody interacted with.' })
  isNew!: boolean;
  @Field(() => ExplanationType, { nullable: true, description: 'Only with explain: true.' }) explanation!: ExplanationType | null;
}

@ObjectType('RecommendationEdge', { description: 'One recommendation of the page, with its cursor.' })
export class RecommendationEdgeType {
  @Field({ description: 'Pass as `after` to continue after this edge.' }) cursor!: string;
  @Field(() => RecommendationType, { description: 'The recommendation.' }) node!: RecommendationType;
}

@ObjectType('RecommendationConnection', {
  description: 'Best first; cursors are bound to the model version (STALE_CURSOR after a swap) and to the query.',
})
export class RecommendationConnectionType {
  @Field(() => [RecommendationEdgeType], { description: "This page's recommendations." }) edges!: RecommendationEdgeType[];
  @Field(() => PageInfoType, { description: 'Where this page sits in the ranking (at most 1,000 deep).' }) pageInfo!: PageInfoType;
  @Field(() => ServingPathEnum, { description: 'How the ranking was made.' }) path!: ServingPathEnum;
  @Field(() => ID, { nullable: true, description: 'The model version that ranked (null: popularity without a model).' }) modelVersionId!:
    string | null;
  @Field(() => ModelKindEnum, { nullable: true, description: 'The kind of that model version (null without one).' })
  modelKind!: ModelKindEnum | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The user's slice (e.g. `by_interactions:6-20`) when the active version's slice table routed the request: modelVersionId is then the version the table names for it, which is the active one unless validation showed another pays on that slice (modelSliceTable). Null for a named model kind, with SLICE_MODEL_CHOICE off, or without a model.",
  })
  modelSlice!: string | null;
}

@ObjectType('SimilarItem', { description: 'An item near another in the embedding space.' })
export class SimilarItemType {
  @Field(() => ID, { description: 'Opaque id of this result, unique per (seed item, model version, item). Not the item id: use item.id.' })
  id!: string;
  @Field(() => ItemType, { description: 'The similar item.' }) item!: ItemType;
  @Field(() => Float, { description: 'Cosine similarity of item embeddings, -1..1.' }) similarity!: number;
  @Field({ description: 'An item the model has never seen (its tags stand in for its embedding).' }) isNew!: boolean;
}

@ObjectType('SimilarItemEdge', { description: 'One similar item of the page, with its cursor.' })
export class SimilarItemEdgeType {
  @Field({ description: 'Pass as `after` to continue after this edge.' }) cursor!: string;
  @Field(() => SimilarItemType, { description: 'The similar item.' }) node!: SimilarItemType;
}

@ObjectType('SimilarItemConnection', {
  description: 'Nearest first; cursors are bound to the model version (STALE_CURSOR after a swap) and to the seed item.',
})
export class SimilarItemConnectionType {
  @Field(() => [SimilarItemEdgeType], { description: "This page's items." }) edges!: SimilarItemEdgeType[];
  @Field(() => PageInfoType, { description: 'Where this page sits in the list (at most 1,000 deep).' }) pageInfo!: PageInfoType;
  @Field(() => ID, { description: 'The model version whose embeddings were compared.' }) modelVersionId!: string;
}
