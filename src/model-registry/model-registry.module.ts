import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminGuard } from '../auth/admin.guard';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { dataSourceOptions } from './data-source';
import { ModelVersionEntity } from './model-version.entity';
import { ModelRegistryRepository } from './model-registry.repository';
import { ModelRegistryResolver } from './model-registry.resolver';
import { ModelRegistryService } from './model-registry.service';
import { ModelStore } from './model-store';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), migrationsRun: config.DATABASE_MIGRATE }),
    }),
    TypeOrmModule.forFeature([ModelVersionEntity]),
    // deleted users' tombstones and the change feed: the store masks them in every version it loads
    IngestionModule,
  ],
  providers: [ModelRegistryRepository, ModelRegistryService, ModelStore, ModelRegistryResolver, AdminGuard],
  exports: [ModelRegistryRepository, ModelRegistryService, ModelStore],
})
export class ModelRegistryModule {}
