import { Injectable } from '@nestjs/common';
import { Neo4jClient } from '../graph/neo4j.client';
import { toNumber } from '../graph/mappers';

/** Batched graph maintenance writes of the sampling domain (auto-commit, CALL { } IN TRANSACTIONS). */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  async refreshOverlap(prefix: string, batch: number): Promise<number> {
    // Whole-graph batch writes (before training, or the CLI): the batch timeout, not the API's.
    const [r] = await this.neo4j.autoCommit('sampling/refresh-overlap', { prefix, batch }, this.neo4j.batchTimeoutMs);
    return r ? toNumber(r.get('edges'), 'edges') : 0;
  }

  async assignSampleKeys(batch: number): Promise<{ interacted: number; friend: number }> {
    const [i] = await this.neo4j.autoCommit('sampling/assign-interacted-keys', { batch }, this.neo4j.batchTimeoutMs);
    const [f] = await this.neo4j.autoCommit('sampling/assign-friend-keys', { batch }, this.neo4j.batchTimeoutMs);
    return { interacted: i ? toNumber(i.get('edges'), 'edges') : 0, friend: f ? toNumber(f.get('edges'), 'edges') : 0 };
  }
}
