import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';

export interface PairAttention {
  a: string;
  b: string;
  attention: number;
  kept: boolean;
}

const BATCH = 5_000;

/** Writes learned attention onto FRIEND edges, in batches (each batch one transaction). */
@Injectable()
export class AttentionRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  async write(rows: PairAttention[], version: string): Promise<number> {
    let updated = 0;
    for (let i = 0; i < rows.length; i += BATCH) {
      const [r] = await this.neo4j.write('training/write-attention', { rows: rows.slice(i, i + BATCH), version });
      updated += toNumber(r.get('updated'), 'updated');
    }
    return updated;
  }
}
