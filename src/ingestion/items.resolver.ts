import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { batchCost, batchListCost } from '../common/query-cost';
import { ValidateEach } from '../common/validation.pipe';
import { ItemInput } from './dto/item.input';
import { BoundedList, ValidIds } from './dto/list-args.pipe';
import { ItemsService } from './items.service';
import { BATCH_MAX } from './limits';
import { ItemType } from './types/item.type';
import { DeleteItemsPayload, ItemsChangedPayload } from './types/payloads.type';

@Resolver(() => ItemType)
export class ItemsResolver {
  constructor(private readonly items: ItemsService) {}

  @Mutation(() => [ItemType], {
    complexity: batchListCost('items', BATCH_MAX),
    description: 'Creates items or updates title, tags and attributes; one transaction for the whole batch.',
  })
  @RequireAccess('write')
  upsertItems(
    @Args('items', { type: () => [ItemInput] }, new BoundedList('items'), new ValidateEach(ItemInput, 'items')) items: ItemInput[],
  ): Promise<ItemType[]> {
    return this.items.upsert(items);
  }

  @Query(() => ItemType, { description: 'An item by external id (hidden ones too); NOT_FOUND when absent.' })
  @RequireAccess('read')
  item(@Args('id', { type: () => ID }) id: string): Promise<ItemType> {
    return this.items.get(id);
  }

  @Mutation(() => ItemsChangedPayload, {
    complexity: batchCost('ids', BATCH_MAX),
    description: 'Hides items from recommendations; they keep their edges and training signal. Unknown ids reject the call (UNKNOWN_IDS).',
  })
  @RequireAccess('write')
  hideItems(@Args('ids', { type: () => [ID] }, new BoundedList('ids'), new ValidIds('ids')) ids: string[]): Promise<ItemsChangedPayload> {
    return this.items.setHidden(ids, true);
  }

  @Mutation(() => ItemsChangedPayload, {
    complexity: batchCost('ids', BATCH_MAX),
    description: 'Makes hidden items recommendable again. Unknown ids reject the call (UNKNOWN_IDS).',
  })
  @RequireAccess('write')
  unhideItems(@Args('ids', { type: () => [ID] }, new BoundedList('ids'), new ValidIds('ids')) ids: string[]): Promise<ItemsChangedPayload> {
    return this.items.setHidden(ids, false);
  }

  @Mutation(() => DeleteItemsPayload, {
    complexity: batchCost('ids', BATCH_MAX),
    description:
      'Deletes items with every edge they have and tombstones them: never served again, by any path, from this answer on. Unknown ids reject the call (UNKNOWN_IDS) and nothing is deleted.',
  })
  @RequireAccess('delete')
  deleteItems(@Args('ids', { type: () => [ID] }, new BoundedList('ids'), new ValidIds('ids')) ids: string[]): Promise<DeleteItemsPayload> {
    return this.items.delete(ids);
  }
}
