import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ValidateEach } from '../common/validation.pipe';
import { ItemInput } from './dto/item.input';
import { BoundedList, ValidIds } from './dto/list-args.pipe';
import { ItemsService } from './items.service';
import { ItemType } from './types/item.type';
import { DeleteItemsPayload, ItemsChangedPayload } from './types/payloads.type';

@Resolver(() => ItemType)
export class ItemsResolver {
  constructor(private readonly items: ItemsService) {}

  @Mutation(() => [ItemType], { description: 'Creates items or updates title, tags and attributes; one transaction for the whole batch.' })
  upsertItems(
    @Args('items', { type: () => [ItemInput] }, new BoundedList('items'), new ValidateEach(ItemInput, 'items')) items: ItemInput[],
  ): Promise<ItemType[]> {
    return this.items.upsert(items);
  }

  @Query(() => ItemType, { description: 'An item by external id (hidden ones too); NOT_FOUND when absent.' })
  item(@Args('id', { type: () => ID }) id: string): Promise<ItemType> {
    return this.items.get(id);
  }

  @Mutation(() => ItemsChangedPayload, {
    description: 'Hides items from recommendations; they keep their edges and training signal. Unknown ids reject the call (UNKNOWN_IDS).',
  })
  hideItems(@Args('ids', { type: () => [ID] }, new BoundedList('ids'), new ValidIds('ids')) ids: string[]): Promise<ItemsChangedPayload> {
    return this.items.setHidden(ids, true);
  }

  @Mutation(() => ItemsChangedPayload, {
    description: 'Makes hidden items recommendable again. Unknown ids reject the call (UNKNOWN_IDS).',
  })
  unhideItems(@Args('ids', { type: () => [ID] }, new BoundedList('ids'), new ValidIds('ids')) ids: string[]): Promise<ItemsChangedPayload> {
    return this.items.setHidden(ids, false);
  }

  @Mutation(() => DeleteItemsPayload, {
    description:
      'Deletes items with every edge they have and tombstones them: never served again, by any path, from this answer on. Unknown ids reject the call (UNKNOWN_IDS) and nothing is deleted.',
  })
  deleteItems(@Args('ids', { type: () => [ID] }, new BoundedList('ids'), new ValidIds('ids')) ids: string[]): Promise<DeleteItemsPayload> {
    return this.items.delete(ids);
  }
}
