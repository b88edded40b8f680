import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';
import { ModelKindEnum } from '../../model-registry/types/model-version.type';

export enum TrainingRunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TrainingRunStatus, { name: 'TrainingRunStatus' });

@ObjectType('TrainingRun')
export class TrainingRunType {
  @Field(() => ID) id!: string;
  @Field(() => ModelKindEnum) model!: ModelKindEnum;
  @Field(() => TrainingRunStatus) status!: TrainingRunStatus;
  @Field(() => String, { nullable: true, description: 'export | train | validate | register | done' }) stage!: string | null;
  @Field(() => Float, { description: '0..100' }) progress!: number;
  @Field(() => Int, { nullable: true }) currentEpoch!: number | null;
  @Field(() => Int, { nullable: true }) epochs!: number | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Latest loss and validation metrics, then the final metrics.' })
  metrics!: Record<string, unknown> | null;
  @Field(() => GraphQLJSON, { nullable: true }) params!: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
  @Field(() => String, { nullable: true }) modelVersionId!: string | null;
  @Field(() => Boolean, { nullable: true }) promoted!: boolean | null;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'Seconds per stage of a finished run: overlap (sampling keys and FRIEND.overlap refresh), export, train, validate_register (artefact checks, registration), promote (load, its attention written onto FRIEND edges, swap).',
  })
  timings!: Record<string, number> | null;
  @Field(() => [String]) logTail!: string[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType('TrainingRunPage')
export class TrainingRunPage {
  @Field(() => [TrainingRunType]) nodes!: TrainingRunType[];
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}
