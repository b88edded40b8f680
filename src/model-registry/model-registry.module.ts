import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { dataSourceOptions } from './data-source';
import { ModelVersionEntity } from './model-version.entity';
import { ModelRegistryRepository } from './model-registry.repository';
import { ModelRegistryResolver } from './model-registry.resolver';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), migrationsRun: config.DATABASE_MIGRATE }),
    }),
    TypeOrmModule.forFeature([ModelVersionEntity]),
  ],
  providers: [ModelRegistryRepository, ModelRegistryResolver],
  exports: [ModelRegistryRepository],
})
export class ModelRegistryModule {}
