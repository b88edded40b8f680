import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CYPHER_KEYS } from '../app.cypher-keys';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/config.schema';
import { CypherModule } from '../graph/cypher.module';
import { GraphModule } from '../graph/graph.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { dataSourceOptions } from '../model-registry/data-source';
import { ModelRegistryRepository } from '../model-registry/model-registry.repository';
import { ModelVersionEntity } from '../model-registry/model-version.entity';
import { RetentionService } from '../training/retention.service';

/**
 * `npm run retention`: deletes run folders and snapshots older than RETENTION_DAYS (never the
 * active/previous version's model) and event ids older than RETENTION_EVENT_DAYS; prints what went.
 * The registry alone (no model is loaded).
 */
const config = loadConfig();

@Module({
  imports: [
    ConfigModule.forRoot(config),
    GraphModule,
    CypherModule.forFeature(APP_CYPHER_KEYS),
    TypeOrmModule.forRoot(dataSourceOptions(config)),
    TypeOrmModule.forFeature([ModelVersionEntity]),
    IngestionModule,
  ],
  providers: [ModelRegistryRepository, RetentionService],
})
class RetentionCliModule {}

async function main(): Promise<void> {
  const ctx = await NestFactory.createApplicationContext(RetentionCliModule, { logger: ['error', 'warn'] });
  try {
    process.stdout.write(`${JSON.stringify(await ctx.get(RetentionService).run())}\n`);
  } finally {
    await ctx.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`retention failed: ${(err as Error).message}\n`);
  process.exit(1);
});
