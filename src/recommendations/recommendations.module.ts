import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { CypherModule } from '../graph/cypher.module';
import { CatalogueService } from './catalogue.service';
import { OnnxScorer } from './onnx-scorer';
import { RecommendationsRepository } from './recommendations.repository';
import { RecommendationsResolver } from './recommendations.resolver';
import { RecommendationsService } from './recommendations.service';
import { ServingMetrics } from './serving-metrics';
import { ServingProfile } from './serving-profile';
import { UserStateService } from './user-state.service';
import { RECOMMENDATIONS_CYPHER } from './recommendations.cypher-keys';

/** Ranked, explained, social recommendations over the active model. */
@Module({
  imports: [CypherModule.forFeature(RECOMMENDATIONS_CYPHER), ModelRegistryModule, IngestionModule],
  providers: [
    RecommendationsRepository,
    RecommendationsService,
    RecommendationsResolver,
    CatalogueService,
    OnnxScorer,
    ServingProfile,
    ServingMetrics,
    UserStateService,
  ],
  exports: [RecommendationsService, ServingProfile, UserStateService],
})
export class RecommendationsModule {}
