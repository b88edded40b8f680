import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ModelKindEnum } from '../../model-registry/types/model-version.type';
import { PageInfoType } from '../../ingestion/types/connection.type';

export enum ServingPathEnum {
  FOLD_IN = 'FOLD_IN',
  FRIENDS = 'FRIENDS',
  POPULAR = 'POPULAR',
}
registerEnumType(ServingPathEnum, {
  name: 'ServingPath',
  description:
    "FOLD_IN: the user's current items (and friends) folded in by the model's encoder; FRIENDS: no items yet, friends' tastes blended with popularity; POPULAR: popularity (no items, no friends the model knows, or no model).",
});

@ObjectType('ExplanationFriend', { description: 'A friend who interacted with the item, through a FRIEND edge the model kept.' })
export class ExplanationFriendType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Float, { nullable: true, description: "The model's attention of the user on this friend (null when it has none)." })
  attention!: number | null;
}

@ObjectType('ExplanationItem', { description: "One of the user's own items, by cosine similarity of item embeddings." })
export class ExplanationItemType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => Float) similarity!: number;
}

@ObjectType('Explanation')
export class ExplanationType {
  @Field({ description: 'e.g. "Because you like X and Y, and your friends A and B like it."' }) sentence!: string;
  @Field(() => [ExplanationFriendType]) friends!: ExplanationFriendType[];
  @Field(() => [ExplanationItemType], { description: "The user's items most similar to this one." }) basedOn!: ExplanationItemType[];
}

@ObjectType('Recommendation')
export class RecommendationType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => Float, {
    description: 'FOLD_IN: model score (dot product); FRIENDS: blend in [0,1]; POPULAR: number of users who interacted.',
  })
  score!: number;
  @Field(() => Int, { description: '1-based position in the whole ranking.' }) rank!: number;
  @Field({ description: 'An item the model has never seen (scored by its tags), or without a model one nobody interacted with.' })
  isNew!: boolean;
  @Field(() => ExplanationType, { nullable: true, description: 'Only with explain: true.' }) explanation!: ExplanationType | null;
}

@ObjectType('RecommendationEdge')
export class RecommendationEdgeType {
  @Field() cursor!: string;
  @Field(() => RecommendationType) node!: RecommendationType;
}

@ObjectType('RecommendationConnection', { description: 'Best first; cursors are bound to the model version (STALE_CURSOR after a swap).' })
export class RecommendationConnectionType {
  @Field(() => [RecommendationEdgeType]) edges!: RecommendationEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => ServingPathEnum) path!: ServingPathEnum;
  @Field(() => ID, { nullable: true, description: 'The model version that ranked (null: popularity without a model).' }) modelVersionId!:
    string | null;
  @Field(() => ModelKindEnum, { nullable: true }) modelKind!: ModelKindEnum | null;
}

@ObjectType('SimilarItem')
export class SimilarItemType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field(() => Float, { description: 'Cosine similarity of item embeddings.' }) similarity!: number;
  @Field() isNew!: boolean;
}
