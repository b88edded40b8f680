import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';

/** Events of one (user, item) pair, merged before writing. */
export interface PairRow {
  userId: string;
  itemId: string;
  weight: number;
  count: number;
  types: string[];
  type: string;
  firstTs: number;
  lastTs: number;
}

export type RecordOutcome =
  { missingUsers: string[]; missingItems: string[] } | { pairs: number; created: number; usersCreated: number; itemsCreated: number };

@Injectable()
export class InteractionsRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /**
   * One write transaction: finds unknown users/items; without createMissing returns them and
   * writes nothing, with it creates bare nodes first; then merges the pairs into their edges.
   */
  async record(rows: PairRow[], userIds: string[], itemIds: string[], createMissing: boolean, now: number): Promise<RecordOutcome> {
    return this.neo4j.writeTx('ingestion/merge-interactions', async (tx) => {
      const [mu] = await tx.run('ingestion/find-missing-users', { ids: userIds });
      const [mi] = await tx.run('ingestion/find-missing-items', { ids: itemIds });
      const missingUsers = mu.get('missing') as string[];
      const missingItems = mi.get('missing') as string[];
      if (!createMissing && (missingUsers.length || missingItems.length)) return { missingUsers, missingItems };
      if (missingUsers.length) await tx.run('ingestion/create-bare-users', { ids: missingUsers, now });
      if (missingItems.length) await tx.run('ingestion/create-bare-items', { ids: missingItems, now });
      const [r] = await tx.run('ingestion/merge-interactions', { rows });
      return {
        pairs: toNumber(r.get('pairs'), 'pairs'),
        created: toNumber(r.get('created'), 'created'),
        usersCreated: missingUsers.length,
        itemsCreated: missingItems.length,
      };
    });
  }
}
