import { Module } from '@nestjs/common';
import { CypherModule } from '../graph/cypher.module';
import { MaintenanceRepository } from './maintenance.repository';
import { MaintenanceService } from './maintenance.service';
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
  imports: [CypherModule.forFeature(SAMPLING_CYPHER)],
  providers: [
    SamplingRepository,
    SamplingService,
    SamplingResolver,
    MaintenanceRepository,
    MaintenanceService,
    SnapshotRepository,
    SnapshotService,
  ],
  exports: [SamplingService, MaintenanceService, SnapshotService],
})
export class SamplingModule {}
