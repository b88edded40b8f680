import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { CypherModule } from '../graph/cypher.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { HEALTH_CYPHER } from './health.cypher-keys';

@Module({
  imports: [CypherModule.forFeature(HEALTH_CYPHER), ModelRegistryModule, IngestionModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
