import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { batchCost } from '../common/query-cost';
import { ValidateEach } from '../common/validation.pipe';
import { InteractionInput } from './dto/interaction.input';
import { BoundedList } from './dto/list-args.pipe';
import { InteractionsService } from './interactions.service';
import { BATCH_MAX } from './limits';
import { RecordInteractionsPayload } from './types/payloads.type';

@Resolver()
export class InteractionsResolver {
  constructor(private readonly interactions: InteractionsService) {}

  @Mutation(() => RecordInteractionsPayload, {
    complexity: batchCost('events', BATCH_MAX),
    description:
      'Records up to 10,000 events in one transaction; events of a (user, item) pair merge into its one INTERACTED edge. ' +
      'Unknown users or items reject the whole batch (UNKNOWN_IDS) unless createMissing, which creates bare nodes.',
  })
  @RequireAccess('write')
  recordInteractions(
    @Args(
      'events',
      { type: () => [InteractionInput], description: `1..${BATCH_MAX} events; more: BAD_USER_INPUT BATCH_TOO_LARGE.` },
      new BoundedList('events'),
      new ValidateEach(InteractionInput, 'events'),
    )
    events: InteractionInput[],
    @Args('createMissing', {
      type: () => Boolean,
      defaultValue: false,
      description: 'Create bare users and items for unknown ids instead of rejecting the batch with UNKNOWN_IDS.',
    })
    createMissing: boolean,
  ): Promise<RecordInteractionsPayload> {
    return this.interactions.record(events, createMissing);
  }
}
