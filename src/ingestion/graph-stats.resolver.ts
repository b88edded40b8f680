import { Query, Resolver } from '@nestjs/graphql';
import { RequireAccess } from '../auth/access.decorator';
import { GraphStatsService } from './graph-stats.service';
import { GraphStatsType } from './types/payloads.type';

@Resolver(() => GraphStatsType)
export class GraphStatsResolver {
  constructor(private readonly stats: GraphStatsService) {}

  @Query(() => GraphStatsType, { description: 'Node counts by label, relationship counts by type, interactions by split.' })
  @RequireAccess('read')
  graphStats(): Promise<GraphStatsType> {
    return this.stats.get();
  }
}
