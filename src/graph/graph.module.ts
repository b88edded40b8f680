import { Global, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { CypherRegistry } from './cypher-registry';
import { Neo4jClient } from './neo4j.client';

@Global()
@Module({
  providers: [{ provide: CypherRegistry, useFactory: () => new CypherRegistry() }, Neo4jClient],
  exports: [CypherRegistry, Neo4jClient],
})
export class GraphModule implements OnModuleInit {
  private readonly logger = new Logger(GraphModule.name);
  constructor(
    private readonly client: Neo4jClient,
    private readonly registry: CypherRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Every domain has registered its Cypher keys by now (CypherModule.forFeature providers are built
   * before any init hook): a key without a file or a file without a key stops the boot here. Then
   * applies constraints and indexes; an unreachable Neo4j is reported, not fatal (readiness shows it).
   */
  async onModuleInit(): Promise<void> {
    this.registry.verify();
    if (!this.config.NEO4J_APPLY_SCHEMA) return;
    try {
      const applied = await this.client.applySchema();
      this.logger.log(`Neo4j schema applied (${applied.length} statements)`);
    } catch (err) {
      this.logger.warn(`Neo4j schema not applied at start-up: ${(err as Error).message}`);
    }
  }
}
