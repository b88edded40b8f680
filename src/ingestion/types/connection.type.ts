import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { ItemType } from './item.type';
import { UserType } from './user.type';

@ObjectType('PageInfo')
export class PageInfoType {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' }) endCursor!: string | null;
}

@ObjectType('Interaction', { description: 'The one INTERACTED edge of a (user, item) pair: the merge of all its events.' })
export class InteractionType {
  @Field(() => ItemType) item!: ItemType;
  @Field({ description: 'Type of the latest event.' }) type!: string;
  @Field(() => [String], { description: 'Distinct event types seen.' }) types!: string[];
  @Field(() => Float) weight!: number;
  @Field(() => Int) count!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) firstTs!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastTs!: Date | null;
  @Field(() => String, { nullable: true, description: "'train' or 'test' for dataset imports; null for live events." }) split!:
    string | null;
}

@ObjectType('InteractionEdge')
export class InteractionEdgeType {
  @Field() cursor!: string;
  @Field(() => InteractionType) node!: InteractionType;
}

@ObjectType('InteractionConnection', { description: 'Ordered by item id.' })
export class InteractionConnectionType {
  @Field(() => [InteractionEdgeType]) edges!: InteractionEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}

@ObjectType('Friend')
export class FriendType {
  @Field(() => UserType) user!: UserType;
  @Field(() => GraphQLISODateTime, { nullable: true }) since!: Date | null;
}

@ObjectType('FriendEdge')
export class FriendEdgeType {
  @Field() cursor!: string;
  @Field(() => FriendType) node!: FriendType;
}

@ObjectType('FriendConnection', { description: 'Ordered by friend id.' })
export class FriendConnectionType {
  @Field(() => [FriendEdgeType]) edges!: FriendEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}
