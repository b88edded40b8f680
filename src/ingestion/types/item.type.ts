import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';

@ObjectType('Item', { description: 'Something users interact with and that can be recommended: a track, a venue, an article.' })
export class ItemType {
  @Field(() => ID, { description: 'The external id given at creation (up to 256 printable characters).' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Display title, at most 512 characters (null when never given).' })
  title!: string | null;
  /** Absent on references that serving did not read them for; ItemsResolver reads them then. */
  @Field(() => [String], { description: 'Tags, at most 50 of at most 64 characters; filters and cold start use them.' }) tags?: string[];
  @Field({ description: 'Hidden items stay in the graph (and keep their training signal) but are never recommended.' }) hidden!: boolean;
  /** Absent on references another domain returns; ItemsResolver reads it then. */
  @Field(() => GraphQLISODateTime, { description: 'When the item was first created.' }) createdAt?: Date;
  @Field(() => GraphQLJSON, { description: 'The free-form JSON object given at creation or update ({} when none).' })
  attributes?: Record<string, unknown>;
}
