import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { CatalogueService } from './catalogue.service';
import { OnnxScorer } from './onnx-scorer';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsResolver } from './recommendations.resolver';
import { RecommendationsService } from './recommendations.service';
import { ServingProfile } from './serving-profile';

/** Ranked, explained, social recommendations over the active model. */
@Module({
  imports: [ModelRegistryModule],
  providers: [RecommendationsRepository, RecommendationsService, RecommendationsResolver, CatalogueService, OnnxScorer, ServingProfile],
  exports: [RecommendationsService, ServingProfile],
})
export class RecommendationsModule {}
