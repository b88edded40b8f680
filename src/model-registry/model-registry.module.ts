import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { CypherModule } from '../graph/cypher.module';
import { fromRoot } from '../common/repo-root';
import { ArtifactCache } from './artifact-cache';
import { AttentionRepository } from './attention.repository';
import { dataSourceOptions } from './data-source';
import { MODEL_REGISTRY_CYPHER } from './model-registry.cypher-keys';
import { ModelSliceChoiceEntity } from './model-slice-choice.entity';
import { ModelVersionEntity } from './model-version.entity';
import { ModelRegistryRepository } from './model-registry.repository';
import { ModelRegistryResolver } from './model-registry.resolver';
import { ModelRegistryService } from './model-registry.service';
import { ModelMetrics } from './model-metrics';
import { ModelStore } from './model-store';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), migrationsRun: config.DATABASE_MIGRATE }),
    }),
    TypeOrmModule.forFeature([ModelVersionEntity, ModelSliceChoiceEntity]),
    CypherModule.forFeature(MODEL_REGISTRY_CYPHER),
    // deleted users' tombstones and the change feed: the store masks them in every version it loads
    IngestionModule,
  ],
  providers: [
    ModelRegistryRepository,
    {
      provide: ArtifactCache,
      inject: [APP_CONFIG, ModelRegistryRepository],
      useFactory: (config: AppConfig, repo: ModelRegistryRepository) => new ArtifactCache(fromRoot(config.ARTIFACT_CACHE_DIR), repo),
    },
    AttentionRepository,
    ModelRegistryService,
    ModelStore,
    ModelMetrics,
    ModelRegistryResolver,
  ],
  exports: [ModelRegistryRepository, ModelRegistryService, ModelStore],
})
export class ModelRegistryModule {}
