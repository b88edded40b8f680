import { FriendshipsResolver } from './ingestion/friendships.resolver';
import { GraphStatsResolver } from './ingestion/graph-stats.resolver';
import { InteractionsResolver } from './ingestion/interactions.resolver';
import { ItemsResolver } from './ingestion/items.resolver';
import { UsersResolver } from './ingestion/users.resolver';
import { ModelRegistryResolver } from './model-registry/model-registry.resolver';
import { RecommendationsResolver } from './recommendations/recommendations.resolver';
import { SampledNeighborResolver } from './sampling/sampled-neighbor.resolver';
import { SamplingResolver } from './sampling/sampling.resolver';
import { TrainingProgressResolver } from './training/progress/training-progress.resolver';
import { TrainingResolver } from './training/training.resolver';

/**
 * Every GraphQL resolver class, for building the schema without the app (schema checks and the
 * query-limit tests). A resolver missing here makes the schema check fail: schema.gql, written by
 * the app at start-up, then has fields this list does not build.
 */
export const GRAPHQL_RESOLVERS = [
  UsersResolver,
  ItemsResolver,
  InteractionsResolver,
  FriendshipsResolver,
  GraphStatsResolver,
  SamplingResolver,
  SampledNeighborResolver,
  RecommendationsResolver,
  ModelRegistryResolver,
  TrainingResolver,
  TrainingProgressResolver,
];
