import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { FirstArg } from '../common/pagination/page-size';
import { pageCost } from '../common/query-cost';
import { ModelKindEnum } from '../model-registry/types/model-version.type';
import { TrainingParamsInput } from './dto/training-params.input';
import { TRAINING_RUNS_MAX, TrainingService } from './training.service';
import { TrainingRunPage, TrainingRunType } from './types/training-run.type';

@Resolver(() => TrainingRunType)
export class TrainingResolver {
  constructor(private readonly training: TrainingService) {}

  @Mutation(() => TrainingRunType, {
    description: 'Admin: queues a retraining run and returns it at once; a live run of the same model is returned instead of a second one.',
  })
  @RequireAccess('admin')
  startRetraining(
    @Args('model', { type: () => ModelKindEnum }) model: ModelKindEnum,
    @Args('params', { type: () => TrainingParamsInput, nullable: true }) params?: TrainingParamsInput,
  ): Promise<TrainingRunType> {
    const clean = Object.fromEntries(Object.entries(params ?? {}).filter(([, v]) => v !== undefined && v !== null)) as Record<
      string,
      string | number
    >;
    return this.training.start(model, clean);
  }

  @Mutation(() => TrainingRunType, { description: 'Admin: cancels a queued or running run (the trainer process group is ended).' })
  @RequireAccess('admin')
  cancelRetraining(@Args('runId', { type: () => ID }) runId: string): Promise<TrainingRunType> {
    return this.training.cancel(runId);
  }

  @Query(() => TrainingRunType)
  @RequireAccess('admin')
  trainingRun(@Args('id', { type: () => ID }) id: string): Promise<TrainingRunType> {
    return this.training.get(id);
  }

  @Query(() => TrainingRunPage, { complexity: pageCost(TRAINING_RUNS_MAX) })
  @RequireAccess('admin')
  trainingRuns(
    @FirstArg(TRAINING_RUNS_MAX) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<TrainingRunPage> {
    return this.training.list(first, after ?? null);
  }
}
