import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';

/** Ranked, explained, social recommendations over the active model. */
@Module({ imports: [ModelRegistryModule] })
export class RecommendationsModule {}
