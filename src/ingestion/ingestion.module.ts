import { NodeDetailsLoader } from './node-details.loader';
import { Module } from '@nestjs/common';
import { CypherModule } from '../graph/cypher.module';
import { GraphChanges } from './graph-changes';
import { GraphChangesRelay } from './graph-changes.relay';
import { FriendshipsRepository } from './friendships.repository';
import { FriendshipsResolver } from './friendships.resolver';
import { FriendshipsService } from './friendships.service';
import { GraphStatsRepository } from './graph-stats.repository';
import { GraphStatsResolver } from './graph-stats.resolver';
import { GraphStatsService } from './graph-stats.service';
import { ingestionSettingsProvider } from './ingestion.settings';
import { InteractionsRepository } from './interactions.repository';
import { InteractionsResolver } from './interactions.resolver';
import { InteractionsService } from './interactions.service';
import { ItemsRepository } from './items.repository';
import { ItemsResolver } from './items.resolver';
import { ItemsService } from './items.service';
import { UsersRepository } from './users.repository';
import { UsersResolver } from './users.resolver';
import { TombstonesRepository } from './tombstones.repository';
import { UsersService } from './users.service';
import { INGESTION_CYPHER } from './ingestion.cypher-keys';

/** Users, items, interactions, friendships: the write side of the graph, plus graphStats. */
@Module({
  imports: [CypherModule.forFeature(INGESTION_CYPHER)],
  providers: [
    ingestionSettingsProvider,
    GraphChanges,
    GraphChangesRelay,
    UsersRepository,
    UsersService,
    UsersResolver,
    ItemsRepository,
    ItemsService,
    ItemsResolver,
    NodeDetailsLoader,
    InteractionsRepository,
    InteractionsService,
    InteractionsResolver,
    FriendshipsRepository,
    FriendshipsService,
    FriendshipsResolver,
    GraphStatsRepository,
    GraphStatsService,
    GraphStatsResolver,
    TombstonesRepository,
  ],
  exports: [
    ingestionSettingsProvider,
    UsersRepository,
    ItemsRepository,
    NodeDetailsLoader,
    GraphChanges,
    TombstonesRepository,
    InteractionsRepository,
  ],
})
export class IngestionModule {}
