import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { join } from 'node:path';
import { ApiKeyStore } from './auth/api-key.store';
import { AuthModule } from './auth/auth.module';
import { complexityPlugin } from './common/complexity.plugin';
import { formatGraphqlError } from './common/errors/format-graphql-error';
import { repoRoot } from './common/repo-root';
import { graphqlContext, subscriptionsConfig } from './common/subscriptions';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { AppConfig } from './config/config.schema';
import { ExplorerModule } from './explorer/explorer.module';
import { GraphModule } from './graph/graph.module';
import { GraphiqlModule } from './graphiql/graphiql.module';
import { graphiqlLandingPage } from './graphiql/graphiql.plugin';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { LimitsModule } from './limits/limits.module';
import { queryShapeRules } from './limits/query-shape.rules';
import { rateLimitPlugin } from './limits/rate-limit.plugin';
import { RateLimiter } from './limits/rate-limiter';
import { observabilityPlugin } from './observability/graphql-observability.plugin';
import { ObservabilityModule } from './observability/observability.module';
import { Telemetry } from './observability/telemetry';
import { ModelRegistryModule } from './model-registry/model-registry.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { SamplingModule } from './sampling/sampling.module';
import { QueueModule } from './training/queue.module';
import { TrainingModule } from './training/training.module';

@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [LimitsModule, AuthModule, ObservabilityModule],
      inject: [GraphQLSchemaHost, RateLimiter, ApiKeyStore, APP_CONFIG, Telemetry],
      useFactory: (schemaHost: GraphQLSchemaHost, limiter: RateLimiter, keys: ApiKeyStore, config: AppConfig, telemetry: Telemetry) => ({
        path: '/graphql',
        autoSchemaFile: join(repoRoot(), 'schema.gql'),
        sortSchema: true,
        playground: false,
        // Both off by default when NODE_ENV=production (GRAPHQL_GRAPHIQL, GRAPHQL_INTROSPECTION).
        introspection: config.GRAPHQL_INTROSPECTION,
        formatError: formatGraphqlError,
        // Field resolvers that expose other users' data (User.interactions, User.friends) declare a scope too;
        // the request deadline holds on nested fields too (RequestDeadlineInterceptor).
        fieldResolverEnhancers: ['guards', 'interceptors'],
        // Limits (docs/limits.md): shape before anything runs, then the client's budget and the cost.
        validationRules: queryShapeRules({ maxDepth: config.GRAPHQL_MAX_DEPTH, maxAliases: config.GRAPHQL_MAX_ALIASES }),
        plugins: [
          // First: its latency covers the other plugins' work, and its span is the request's parent span.
          observabilityPlugin(telemetry),
          rateLimitPlugin(limiter, { lookup: (secret) => keys.find(secret)?.name ?? null, adminToken: config.ADMIN_TOKEN }),
          complexityPlugin(() => schemaHost.schema, config.GRAPHQL_MAX_COST),
          // No HTTP cache hints are used; the cache-control plugin would wrap every field resolver.
          ApolloServerPluginCacheControlDisabled(),
          ...(config.GRAPHQL_GRAPHIQL ? [graphiqlLandingPage('/graphql')] : []),
        ],
        // trainingProgress over graphql-ws (admin token in connection_init)
        subscriptions: subscriptionsConfig(config),
        context: (arg: unknown) => graphqlContext(arg, config.REQUEST_TIMEOUT_MS),
      }),
    }),
    ObservabilityModule,
    AuthModule,
    LimitsModule,
    GraphModule,
    QueueModule,
    ModelRegistryModule,
    HealthModule,
    IngestionModule,
    SamplingModule,
    RecommendationsModule,
    ExplorerModule,
  ],
})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), TrainingModule.forRoot(config), ...(config.GRAPHQL_GRAPHIQL ? [GraphiqlModule] : [])],
    };
  }
}
