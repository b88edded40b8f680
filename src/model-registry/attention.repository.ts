import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';
import { PairAttention } from './pair-attention';

const BATCH = 5_000;

/** The learned attention on FRIEND edges: always one model version's, the one being served. */
@Injectable()
export class AttentionRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /**
   * Replaces the attention on FRIEND edges with `version`'s, in one transaction: the attention any other
   * version wrote is removed and this version's written (in statements of 5,000 rows), or nothing is.
   * Returns the edges written.
   */
  replace(rows: PairAttention[], version: string): Promise<number> {
    return this.neo4j.writeTx('model-registry/replace-attention', async (tx) => {
      await tx.run('model-registry/clear-attention', { version });
      let updated = 0;
      for (let i = 0; i < rows.length; i += BATCH) {
        const [r] = await tx.run('model-registry/write-attention', { rows: rows.slice(i, i + BATCH), version });
        updated += toNumber(r.get('updated'), 'updated');
      }
      return updated;
    });
  }
}
