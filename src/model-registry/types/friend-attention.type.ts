import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';

@ObjectType('FriendAttention', {
  description:
    "A friend of a user with the served model's attention in both directions, as stored on the FRIEND edge (null: the active model has no attention for it).",
})
export class FriendAttentionType {
  @Field(() => ID, { description: "The friend's user id." }) id!: string;
  @Field(() => String, { nullable: true, description: "The friend's name (null when none was given)." }) name!: string | null;
  @Field(() => Float, { nullable: true, description: "The user's attention on this friend." }) attention!: number | null;
  @Field(() => Float, { nullable: true, description: "This friend's attention on the user." }) attentionBack!: number | null;
  @Field(() => Boolean, { nullable: true, description: "Whether the model's attention filter kept the user → friend edge." }) kept!:
    boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether it kept the friend → user edge.' }) keptBack!: boolean | null;
  @Field(() => ID, { nullable: true, description: 'The model version that wrote the attention (the active one).' }) modelVersionId!:
    string | null;
}

@ObjectType('TrainingCurvePoint', { description: "One epoch of a version's training history (the trainer's history.json)." })
export class TrainingCurvePointType {
  @Field(() => Int, { description: 'The epoch, from 1.' }) epoch!: number;
  @Field(() => Float, { nullable: true, description: 'Mean training loss over the epoch (null when not reported).' }) loss!: number | null;
  @Field(() => String, { nullable: true, description: 'null while selecting the model; "refit" for the refit epochs.' }) phase!:
    string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Validation metrics, on the epochs that evaluated.' }) validation!: Record<
    string,
    number
  > | null;
}
