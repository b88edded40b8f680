import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';
import { resultId } from '../common/result-id';
import { PairAttention } from './pair-attention';
import { FriendAttentionType } from './types/friend-attention.type';

const BATCH = 5_000;

const optNumber = (v: unknown, field: string): number | null => (v === null || v === undefined ? null : toNumber(v, field));
const optBool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** The learned attention on FRIEND edges, per direction: always one model version's, the one being served. */
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

  /** A user's friends with the stored attention both ways, the user's highest attention first. */
  async friendsOf(userId: string, limit: number): Promise<FriendAttentionType[]> {
    const rows = await this.neo4j.read('model-registry/list-friend-attention', { id: userId, limit });
    return rows.map((r) => {
      const friend = r.get('id') as string;
      const version = (r.get('version') as string | null) ?? null;
      return {
        id: resultId('FriendAttention', [userId, friend, version]),
        user: { id: friend, name: (r.get('name') as string | null) ?? null },
        attention: optNumber(r.get('attention'), 'attention'),
        attentionBack: optNumber(r.get('attentionBack'), 'attentionBack'),
        kept: optBool(r.get('kept')),
        keptBack: optBool(r.get('keptBack')),
        modelVersionId: version,
      };
    });
  }
}
