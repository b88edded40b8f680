import { Module } from '@nestjs/common';
import { CypherModule } from '../graph/cypher.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { MaintenanceRepository } from './maintenance.repository';
import { MaintenanceService } from './maintenance.service';
import { SampledNeighborResolver } from './sampled-neighbor.resolver';
import { SamplingRepository } from './sampling.repository';
import { SamplingResolver } from './sampling.resolver';
import { SamplingService } from './sampling.service';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotService } from './snapshot.service';
import { SAMPLING_CYPHER } from './sampling.cypher-keys';

/**
 * Neighbour sampling, random walks, social overlap and snapshot export. SamplingService,
 * MaintenanceService and SnapshotService are exported for the training job.
 */
@Module({
  // IngestionModule: NodeDetailsLoader, for a sampled neighbour's `user` / `item` link.
  imports: [CypherModule.forFeature(SAMPLING_CYPHER), IngestionModule],
  providers: [
    SamplingRepository,
    SamplingService,
    SamplingResolver,
    SampledNeighborResolver,
    MaintenanceRepository,
    MaintenanceService,
    SnapshotRepository,
    SnapshotService,
  ],
  exports: [SamplingService, MaintenanceService, SnapshotService],
})
export class SamplingModule {}
