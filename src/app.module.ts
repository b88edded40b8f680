import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { join } from 'node:path';
import { AuthModule } from './auth/auth.module';
import { complexityPlugin } from './common/complexity.plugin';
import { formatGraphqlError } from './common/errors/format-graphql-error';
import { repoRoot } from './common/repo-root';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { AppConfig } from './config/config.schema';
import { GraphModule } from './graph/graph.module';
import { GraphiqlModule } from './graphiql/graphiql.module';
import { graphiqlLandingPage } from './graphiql/graphiql.plugin';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { queryShapeRules } from './limits/query-shape.rules';
import { ModelRegistryModule } from './model-registry/model-registry.module';
import { RecommendationsModule } from './recommendations/recommendations.module';
import { SamplingModule } from './sampling/sampling.module';
import { QueueModule } from './training/queue.module';
import { TrainingModule } from './training/training.module';

@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [GraphQLSchemaHost, APP_CONFIG],
      useFactory: (schemaHost: GraphQLSchemaHost, config: AppConfig) => ({
        path: '/graphql',
        autoSchemaFile: join(repoRoot(), 'schema.gql'),
        sortSchema: true,
        playground: false,
        introspection: true,
        formatError: formatGraphqlError,
        // Limits (docs/limits.md): shape before anything runs, then the cost.
        validationRules: queryShapeRules({ maxDepth: config.GRAPHQL_MAX_DEPTH, maxAliases: config.GRAPHQL_MAX_ALIASES }),
        plugins: [
          complexityPlugin(() => schemaHost.schema, config.GRAPHQL_MAX_COST),
          // No HTTP cache hints are used; the cache-control plugin would wrap every field resolver.
          ApolloServerPluginCacheControlDisabled(),
          graphiqlLandingPage('/graphql'),
        ],
        context: ({ req }: { req: unknown }) => ({ req }),
      }),
    }),
    AuthModule,
    GraphModule,
    GraphiqlModule,
    QueueModule,
    ModelRegistryModule,
    HealthModule,
    IngestionModule,
    SamplingModule,
    RecommendationsModule,
  ],
})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config), TrainingModule.forRoot(config)] };
  }
}
