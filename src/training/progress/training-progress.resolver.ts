import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { RequireAccess } from '../../auth/access.decorator';
import { TrainingProgressService } from './training-progress.service';
import { TrainingProgressType } from './training-progress.type';

@Resolver(() => TrainingProgressType)
export class TrainingProgressResolver {
  constructor(private readonly progress: TrainingProgressService) {}

  @Subscription(() => TrainingProgressType, {
    description:
      "Admin, over graphql-ws at /graphql (connection_init payload {authorization: 'Bearer <ADMIN_TOKEN>'}): a run's stage, epoch, loss and validation metrics as they happen, from whichever process runs it; completes when the run has finished.",
    resolve: (value: TrainingProgressType) => value,
  })
  @RequireAccess('admin')
  trainingProgress(
    @Args('runId', { type: () => ID, description: 'The run to follow (startRetraining answered its id); unknown: NOT_FOUND.' })
    runId: string,
  ): Promise<AsyncIterableIterator<TrainingProgressType>> {
    return this.progress.watch(runId);
  }
}
