import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';
import { TrainingRunStatus } from '../types/training-run.type';

@ObjectType('TrainingProgress', {
  description: 'One step of a training run as it happens: the first message is the run as it stands, the last one its outcome.',
})
export class TrainingProgressType {
  @Field(() => ID) runId!: string;
  @Field(() => TrainingRunStatus) status!: TrainingRunStatus;
  @Field(() => String, { nullable: true, description: 'export | train | validate | register | done' }) stage!: string | null;
  @Field(() => Float, { description: '0..100' }) progress!: number;
  @Field(() => Int, { nullable: true }) epoch!: number | null;
  @Field(() => Int, { nullable: true }) epochs!: number | null;
  @Field(() => Float, { nullable: true, description: 'Training loss of the latest epoch.' }) loss!: number | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Validation metrics of the latest epoch that evaluated.' })
  validation!: Record<string, unknown> | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The final metrics, once the run succeeded.' }) metrics!: Record<
    string,
    unknown
  > | null;
  @Field(() => String, { nullable: true }) modelVersionId!: string | null;
  @Field(() => Boolean, { nullable: true }) promoted!: boolean | null;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When this process saw the step.' }) at!: Date;
}
