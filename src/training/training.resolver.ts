import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { AfterArg, FirstArg } from '../common/pagination/page-size';
import { pageCost } from '../common/query-cost';
import { ModelKindEnum } from '../model-registry/types/model-version.type';
import { TrainingParamsInput } from './dto/training-params.input';
import { TRAINING_RUNS_MAX, TrainingService } from './training.service';
import { TrainingRunConnectionType, TrainingRunType } from './types/training-run.type';

@Resolver(() => TrainingRunType)
export class TrainingResolver {
  constructor(private readonly training: TrainingService) {}

  @Mutation(() => TrainingRunType, {
    description: 'Admin: queues a retraining run and returns it at once; a live run of the same model is returned instead of a second one.',
  })
  @RequireAccess('admin')
  startRetraining(
    @Args('model', { type: () => ModelKindEnum, description: 'The model kind to train.' }) model: ModelKindEnum,
    @Args('params', {
      type: () => TrainingParamsInput,
      nullable: true,
      description: 'Hyperparameters; each omitted one takes its default.',
    })
    params?: TrainingParamsInput,
  ): Promise<TrainingRunType> {
    const clean = Object.fromEntries(Object.entries(params ?? {}).filter(([, v]) => v !== undefined && v !== null)) as Record<
      string,
      string | number
    >;
    return this.training.start(model, clean);
  }

  @Mutation(() => TrainingRunType, { description: 'Admin: cancels a queued or running run (the trainer process group is ended).' })
  @RequireAccess('admin')
  cancelRetraining(
    @Args('runId', { type: () => ID, description: 'The run to cancel; finished: CONFLICT RUN_FINISHED.' }) runId: string,
  ): Promise<TrainingRunType> {
    return this.training.cancel(runId);
  }

  @Query(() => TrainingRunType, {
    description: 'Admin: one training run; NOT_FOUND TRAINING_RUN_NOT_FOUND when the queue has no such run.',
  })
  @RequireAccess('admin')
  trainingRun(
    @Args('id', { type: () => ID, description: 'The run id (startRetraining returned it).' }) id: string,
  ): Promise<TrainingRunType> {
    return this.training.get(id);
  }

  @Query(() => TrainingRunConnectionType, {
    complexity: pageCost(TRAINING_RUNS_MAX),
    description: 'Admin: training runs, newest first (queued, running and the last 200 finished). QUEUE_UNAVAILABLE when Redis is down.',
  })
  @RequireAccess('admin')
  trainingRuns(@FirstArg(TRAINING_RUNS_MAX) first: number, @AfterArg() after?: string): Promise<TrainingRunConnectionType> {
    return this.training.list(first, after ?? null);
  }
}
