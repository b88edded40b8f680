import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';

@ObjectType('Item')
export class ItemType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => [String]) tags!: string[];
  @Field({ description: 'Hidden items stay in the graph (and keep their training signal) but are never recommended.' }) hidden!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLJSON) attributes!: Record<string, unknown>;
}
