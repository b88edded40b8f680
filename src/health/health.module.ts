import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [ModelRegistryModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
