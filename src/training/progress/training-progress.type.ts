import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';
import { TrainingRunStatus, TrainingStage } from '../types/training-run.type';

@ObjectType('TrainingProgress', {
  description: 'One step of a training run as it happens: the first message is the run as it stands, the last one its outcome.',
})
export class TrainingProgressType {
  @Field(() => ID, { description: 'The training run.' }) runId!: string;
  @Field(() => TrainingRunStatus, { description: 'Queued, running, or how it ended.' }) status!: TrainingRunStatus;
  @Field(() => TrainingStage, { nullable: true, description: 'The stage reached, as TrainingRun.stage (null while queued).' })
  stage!: TrainingStage | null;
  @Field(() => Float, { description: '0..100' }) progress!: number;
  @Field(() => Int, { nullable: true, description: 'The epoch being trained (null before training).' }) epoch!: number | null;
  @Field(() => Int, { nullable: true, description: 'The most epochs the run may train (null when unknown).' }) epochs!: number | null;
  @Field(() => Float, { nullable: true, description: 'Training loss of the latest epoch.' }) loss!: number | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Validation metrics of the latest epoch that evaluated.' })
  validation!: Record<string, unknown> | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The final metrics, once the run succeeded.' }) metrics!: Record<
    string,
    unknown
  > | null;
  @Field(() => ID, { nullable: true, description: 'The model version it registered, as TrainingRun.modelVersionId (once succeeded).' })
  modelVersionId!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether that version was promoted (once succeeded).' }) promoted!: boolean | null;
  @Field(() => String, { nullable: true, description: 'Why the run failed or was cancelled.' }) failureReason!: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When this process saw the step.' }) at!: Date;
}
