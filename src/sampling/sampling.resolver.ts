import { Args, Query, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { resultId } from '../common/result-id';
import { neighbourhoodCost, walkCost } from '../common/query-cost';
import { RelatedItemsArgs, SampleNeighborhoodArgs } from './dto/sampling.args';
import { SamplingService } from './sampling.service';
import { DEFAULT_FANOUTS, MAX_FANOUT, MAX_HOPS, MAX_RELATED, MAX_WALK_LENGTH, MAX_WALKS } from './sampling.settings';
import { GraphNodeKindEnum, NeighborhoodType, RelatedItemType, SampledEdgeEnum, SamplingBiasEnum } from './types/neighborhood.type';

@Resolver()
export class SamplingResolver {
  constructor(private readonly sampling: SamplingService) {}

  @Query(() => NeighborhoodType, {
    complexity: neighbourhoodCost(MAX_HOPS, MAX_FANOUT, DEFAULT_FANOUTS),
    description:
      'A GraphSAGE-style k-hop neighbour sample around a user or item (hop 2 drawn from the distinct hop-1 nodes). NOT_FOUND NODE_NOT_FOUND for an unknown seed.',
  })
  @RequireAccess('read')
  async sampleNeighborhood(@Args() args: SampleNeighborhoodArgs): Promise<NeighborhoodType> {
    const n = await this.sampling.sampleNeighborhood([args.seedId], {
      fanouts: args.fanouts,
      bias: args.bias,
      includeFriends: args.includeFriends,
    });
    return {
      seedId: n.seeds[0].id,
      seedKind: n.seeds[0].kind as GraphNodeKindEnum,
      bias: n.bias as SamplingBiasEnum,
      hops: n.hops.map((rows, h) => ({
        hop: h + 1,
        fanout: n.fanouts[h],
        neighbors: rows.map((r) => ({
          id: resultId('SampledNeighbor', [n.seeds[0].id, h + 1, r.parent, r.edge, r.id]),
          nodeId: r.id,
          kind: r.kind as GraphNodeKindEnum,
          weight: r.weight,
          parentId: r.parent,
          edge: r.edge as SampledEdgeEnum,
        })),
      })),
    };
  }

  @Query(() => [RelatedItemType], {
    complexity: walkCost({ maxWalks: MAX_WALKS, maxLength: MAX_WALK_LENGTH, maxFirst: MAX_RELATED, walks: 20, length: 4 }),
    description: `Items related by PinSage random walks (item -> user -> item) with importance weights, most visited first; hidden items never appear. A bounded list, not a connection: each call is a fresh random sample, so there is no next page. NOT_FOUND ITEM_NOT_FOUND for an unknown item.`,
  })
  @RequireAccess('read')
  async relatedItems(@Args() args: RelatedItemsArgs): Promise<RelatedItemType[]> {
    const related = await this.sampling.relatedItems(args.itemId, { topK: args.first, walks: args.walks, length: args.length });
    return related.map((r) => ({
      id: resultId('RelatedItem', [args.itemId, args.walks, args.length, r.id]),
      // hidden items never appear; tags and the rest are read when selected (ingestion/node-details.loader.ts)
      item: { id: r.id, title: r.title, hidden: false },
      weight: r.weight,
      visits: r.visits,
    }));
  }
}
