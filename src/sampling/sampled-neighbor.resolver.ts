import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { NodeDetailsLoader } from '../ingestion/node-details.loader';
import { ItemType } from '../ingestion/types/item.type';
import { UserType } from '../ingestion/types/user.type';
import { GraphNodeKindEnum, SampledNeighborType } from './types/neighborhood.type';

/**
 * A sampled neighbour's node, read only when a client selects it: one batched read per request for all
 * the neighbours of the answer (NodeDetailsLoader). The sample itself carries only ids and kinds.
 */
@Resolver(() => SampledNeighborType)
export class SampledNeighborResolver {
  constructor(private readonly details: NodeDetailsLoader) {}

  @ResolveField(() => UserType, {
    nullable: true,
    description: 'The neighbour when it is a user (null for an item, or a user deleted since).',
  })
  @RequireAccess('read')
  async user(@Parent() n: SampledNeighborType, @Context() request: object): Promise<UserType | null> {
    return n.kind === GraphNodeKindEnum.USER ? ((await this.details.user(request, n.nodeId)) ?? null) : null;
  }

  @ResolveField(() => ItemType, {
    nullable: true,
    description: 'The neighbour when it is an item (null for a user, or an item deleted since).',
  })
  @RequireAccess('read')
  async item(@Parent() n: SampledNeighborType, @Context() request: object): Promise<ItemType | null> {
    return n.kind === GraphNodeKindEnum.ITEM ? ((await this.details.item(request, n.nodeId)) ?? null) : null;
  }
}
