import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from '../../common/json.scalar';
import { PageInfoType } from '../../common/pagination/page-info.type';
import { TrainingMetricsType } from '../../model-registry/types/metrics.type';
import { ModelKindEnum } from '../../model-registry/types/model-version.type';

export enum TrainingRunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TrainingRunStatus, {
  name: 'TrainingRunStatus',
  description: 'Where a run is in its life.',
  valuesMap: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'A worker runs it (see stage).' },
    SUCCEEDED: { description: 'Finished; a model version was registered (modelVersionId).' },
    FAILED: { description: 'Stopped by an error (failureReason).' },
    CANCELLED: { description: 'Cancelled by an admin (cancelRetraining).' },
  },
});

/** A run's stage; the GraphQL names are the stored values upper-cased. */
export enum TrainingStage {
  EXPORT = 'export',
  TRAIN = 'train',
  INDEX = 'index',
  VALIDATE = 'validate',
  REGISTER = 'register',
  DONE = 'done',
}
registerEnumType(TrainingStage, {
  name: 'TrainingStage',
  description: 'The stage a run has reached, in order.',
  valuesMap: {
    EXPORT: { description: 'Refreshing sampling keys and FRIEND overlap, exporting the graph snapshot.' },
    TRAIN: { description: 'The trainer process runs (epochs, validation).' },
    INDEX: {
      description: 'Building the item indexes (ANN retrieval, similar items) shipped with the model; only above ANN_MIN_ITEMS items.',
    },
    VALIDATE: { description: 'Checking the artefacts the trainer wrote.' },
    REGISTER: { description: 'Registering the model version (and promoting it when it is good enough).' },
    DONE: { description: 'Finished.' },
  },
});

@ObjectType('TrainingTimings', { description: 'Seconds per stage of a finished run (null for a stage the run did not time).' })
export class TrainingTimingsType {
  @Field(() => Float, { nullable: true, description: 'Sampling keys and FRIEND.overlap refresh.' }) overlap!: number | null;
  @Field(() => Float, { nullable: true, description: 'Snapshot export.' }) export!: number | null;
  @Field(() => Float, { nullable: true, description: 'The trainer process.' }) train!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Building the item indexes shipped with the model (next to nothing below ANN_MIN_ITEMS items; null for runs older than this stage).',
  })
  index!: number | null;
  @Field(() => Float, { nullable: true, description: 'Artefact checks and registration.' }) validateRegister!: number | null;
  @Field(() => Float, { nullable: true, description: 'Load, its attention written onto FRIEND edges, serving swap.' }) promote!:
    number | null;
  @Field(() => GraphQLJSON, { description: 'Every timing as recorded, seconds by stage name (stages added later appear here first).' })
  all!: Record<string, number>;
}

@ObjectType('TrainingRun', { description: 'One retraining job: export, train, validate, register.' })
export class TrainingRunType {
  @Field(() => ID, { description: 'The job id.' }) id!: string;
  @Field(() => ModelKindEnum, { description: 'The model kind trained.' }) model!: ModelKindEnum;
  @Field(() => TrainingRunStatus, { description: 'Where the run is in its life.' }) status!: TrainingRunStatus;
  @Field(() => TrainingStage, { nullable: true, description: 'The stage reached (null while queued).' }) stage!: TrainingStage | null;
  @Field(() => Float, { description: 'Progress, 0..100.' }) progress!: number;
  @Field(() => Int, { nullable: true, description: 'The epoch the trainer last reported (null before the first).' }) currentEpoch!:
    number | null;
  @Field(() => Int, { nullable: true, description: 'The epoch budget (null when unknown).' }) epochs!: number | null;
  @Field(() => TrainingMetricsType, { nullable: true, description: 'Latest loss and validation metrics, then the final metrics.' })
  metrics!: TrainingMetricsType | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The TrainingParamsInput the run was started with (field names as given).' })
  params!: Record<string, unknown> | null;
  @Field(() => String, { nullable: true, description: 'Why a FAILED or CANCELLED run stopped.' }) failureReason!: string | null;
  @Field(() => ID, { nullable: true, description: 'The model version it registered (SUCCEEDED runs).' }) modelVersionId!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether that version was promoted to ACTIVE (null until finished).' })
  promoted!: boolean | null;
  @Field(() => TrainingTimingsType, { nullable: true, description: 'Seconds per stage of a finished run.' })
  timings!: TrainingTimingsType | null;
  @Field(() => [String], { description: 'The last 40 log lines of the run.' }) logTail!: string[];
  @Field(() => GraphQLISODateTime, { description: 'When the run was queued.' }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When a worker started it.' }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it finished (any outcome).' }) finishedAt!: Date | null;
}

@ObjectType('TrainingRunEdge', { description: 'One run of the page, with its cursor.' })
export class TrainingRunEdgeType {
  @Field({ description: 'Pass as `after` to continue after this edge.' }) cursor!: string;
  @Field(() => TrainingRunType, { description: 'The run.' }) node!: TrainingRunType;
}

@ObjectType('TrainingRunConnection', { description: 'Training runs, newest first (the queue keeps the last 200 finished ones).' })
export class TrainingRunConnectionType {
  @Field(() => [TrainingRunEdgeType], { description: "This page's runs." }) edges!: TrainingRunEdgeType[];
  @Field(() => PageInfoType, { description: 'Where this page sits in the list.' }) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'All runs the queue keeps (every page).' }) totalCount!: number;
}
