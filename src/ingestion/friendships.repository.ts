import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';

export interface FriendshipRow {
  lo: string;
  hi: string;
  since: number | null;
}

@Injectable()
export class FriendshipsRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /** One transaction: returns the unknown user ids (writing nothing) or merges every pair. */
  async add(rows: FriendshipRow[], userIds: string[]): Promise<{ missing: string[] } | { pairs: number; created: number }> {
    return this.neo4j.writeTx('ingestion/add-friendships', async (tx) => {
      const [m] = await tx.run('ingestion/find-missing-users', { ids: userIds });
      const missing = m.get('missing') as string[];
      if (missing.length) return { missing };
      const [r] = await tx.run('ingestion/add-friendships', { rows });
      return { pairs: toNumber(r.get('pairs'), 'pairs'), created: toNumber(r.get('created'), 'created') };
    });
  }

  async remove(rows: Array<{ a: string; b: string }>): Promise<number> {
    const [r] = await this.neo4j.write('ingestion/remove-friendships', { rows });
    return toNumber(r.get('removed'), 'removed');
  }
}
