import { Module } from '@nestjs/common';
import { ExplorerController } from './explorer.controller';

/** Serves the web explorer's bundle and the Neo4j Browser guide (static files; the data goes through GraphQL). */
@Module({ controllers: [ExplorerController] })
export class ExplorerModule {}
