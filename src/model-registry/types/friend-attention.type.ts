import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';
import { UserType } from '../../ingestion/types/user.type';

@ObjectType('FriendAttention', {
  description:
    "A friend of a user with the served model's attention in both directions, as stored on the FRIEND edge (null: the active model has no attention for it).",
})
export class FriendAttentionType {
  @Field(() => ID, {
    description:
      "Opaque id of this entry, the same for the same (user, friend, model version that wrote the attention). Not the friend's id: use user.id.",
  })
  id!: string;
  /** id and name from the same read; createdAt and attributes are read when selected (UsersResolver). */
  @Field(() => UserType, { description: 'The friend.' }) user!: UserType;
  @Field(() => Float, { nullable: true, description: "The user's attention on this friend." }) attention!: number | null;
  @Field(() => Float, { nullable: true, description: "This friend's attention on the user." }) attentionBack!: number | null;
  @Field(() => Boolean, { nullable: true, description: "Whether the model's attention filter kept the user → friend edge." }) kept!:
    boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether it kept the friend → user edge.' }) keptBack!: boolean | null;
  @Field(() => ID, { nullable: true, description: 'The model version that wrote the attention (the active one).' }) modelVersionId!:
    string | null;
}

/** The phase of a history.json epoch; the trainer writes `phase: "refit"` on refit epochs and no phase before. */
export enum TrainingPhase {
  SELECT = 'select',
  REFIT = 'refit',
}
registerEnumType(TrainingPhase, {
  name: 'TrainingPhase',
  description: 'What an epoch of the training history was for.',
  valuesMap: {
    SELECT: { description: 'Training on the fit split while the epoch is picked on validation.' },
    REFIT: { description: 'The extra epochs on every interaction after the pick (refitEpochs).' },
  },
});

/** history.json's `phase` of an epoch: none is SELECT; a phase this server does not know is null. */
export function trainingPhase(phase: unknown): TrainingPhase | null {
  if (phase === undefined || phase === null) return TrainingPhase.SELECT;
  return Object.values(TrainingPhase).find((p) => p === phase) ?? null;
}

@ObjectType('TrainingCurvePoint', { description: "One epoch of a version's training history (the trainer's history.json)." })
export class TrainingCurvePointType {
  @Field(() => Int, { description: 'The epoch, from 1.' }) epoch!: number;
  @Field(() => Float, { nullable: true, description: 'Mean training loss over the epoch (null when not reported).' }) loss!: number | null;
  @Field(() => TrainingPhase, {
    nullable: true,
    description: 'SELECT while the epoch is picked on validation, REFIT for the refit epochs (null: a phase this server does not know).',
  })
  phase!: TrainingPhase | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Validation metrics, on the epochs that evaluated.' }) validation!: Record<
    string,
    number
  > | null;
}
