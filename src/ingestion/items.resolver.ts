import { Args, Context, GraphQLISODateTime, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import GraphQLJSON from '../common/json.scalar';
import { notFound } from '../common/errors/domain-error';
import { RequireAccess } from '../auth/access.decorator';
import { batchCost, batchListCost } from '../common/query-cost';
import { ValidateEach } from '../common/validation.pipe';
import { ItemInput } from './dto/item.input';
import { BoundedList, ValidIds } from './dto/list-args.pipe';
import { ItemsService } from './items.service';
import { NodeDetailsLoader } from './node-details.loader';
import { BATCH_MAX } from './limits';
import { ItemType } from './types/item.type';
import { DeleteItemsPayload, ItemsChangedPayload } from './types/payloads.type';

@Resolver(() => ItemType)
export class ItemsResolver {
  constructor(
    private readonly items: ItemsService,
    private readonly details: NodeDetailsLoader,
  ) {}

  @Mutation(() => [ItemType], {
    complexity: batchListCost('items', BATCH_MAX),
    description: 'Creates items or updates title, tags and attributes; one transaction for the whole batch.',
  })
  @RequireAccess('write')
  upsertItems(
    @Args(
      'items',
      { type: () => [ItemInput], description: `1..${BATCH_MAX} items; more: BAD_USER_INPUT BATCH_TOO_LARGE.` },
      new BoundedList('items'),
      new ValidateEach(ItemInput, 'items'),
    )
    items: ItemInput[],
  ): Promise<ItemType[]> {
    return this.items.upsert(items);
  }

  @Query(() => ItemType, { description: 'An item by external id (hidden ones too); NOT_FOUND when absent.' })
  @RequireAccess('read')
  item(@Args('id', { type: () => ID, description: 'The external id.' }) id: string): Promise<ItemType> {
    return this.items.get(id);
  }

  @Mutation(() => ItemsChangedPayload, {
    complexity: batchCost('ids', BATCH_MAX),
    description: 'Hides items from recommendations; they keep their edges and training signal. Unknown ids reject the call (UNKNOWN_IDS).',
  })
  @RequireAccess('write')
  hideItems(
    @Args('ids', { type: () => [ID], description: `1..${BATCH_MAX} item ids.` }, new BoundedList('ids'), new ValidIds('ids')) ids: string[],
  ): Promise<ItemsChangedPayload> {
    return this.items.setHidden(ids, true);
  }

  @Mutation(() => ItemsChangedPayload, {
    complexity: batchCost('ids', BATCH_MAX),
    description: 'Makes hidden items recommendable again. Unknown ids reject the call (UNKNOWN_IDS).',
  })
  @RequireAccess('write')
  unhideItems(
    @Args('ids', { type: () => [ID], description: `1..${BATCH_MAX} item ids.` }, new BoundedList('ids'), new ValidIds('ids')) ids: string[],
  ): Promise<ItemsChangedPayload> {
    return this.items.setHidden(ids, false);
  }

  @Mutation(() => DeleteItemsPayload, {
    complexity: batchCost('ids', BATCH_MAX),
    description:
      'Deletes items with every edge they have and tombstones them: never served again, by any path, from this answer on. Unknown ids reject the call (UNKNOWN_IDS) and nothing is deleted.',
  })
  @RequireAccess('delete')
  deleteItems(
    @Args('ids', { type: () => [ID], description: `1..${BATCH_MAX} item ids.` }, new BoundedList('ids'), new ValidIds('ids')) ids: string[],
  ): Promise<DeleteItemsPayload> {
    return this.items.delete(ids);
  }

  @ResolveField(() => [String], { description: 'Tags, at most 50 of at most 64 characters; filters and cold start use them.' })
  @RequireAccess('read')
  async tags(@Parent() item: ItemType, @Context() request: object): Promise<string[]> {
    return item.tags ?? (await this.full(item.id, request)).tags!;
  }

  @ResolveField(() => GraphQLISODateTime, { description: 'When the item was first created.' })
  @RequireAccess('read')
  async createdAt(@Parent() item: ItemType, @Context() request: object): Promise<Date> {
    return item.createdAt ?? (await this.full(item.id, request)).createdAt!;
  }

  @ResolveField(() => GraphQLJSON, { description: 'The free-form JSON object given at creation or update ({} when none).' })
  @RequireAccess('read')
  async attributes(@Parent() item: ItemType, @Context() request: object): Promise<Record<string, unknown>> {
    return item.attributes ?? (await this.full(item.id, request)).attributes!;
  }

  /** A referenced item's stored fields; one deleted since the reference was made is NOT_FOUND on the field. */
  private async full(id: string, request: object): Promise<ItemType> {
    const found = await this.details.item(request, id);
    if (!found) throw notFound('ITEM_NOT_FOUND', `no item with id ${JSON.stringify(id)}`);
    return found;
  }
}
