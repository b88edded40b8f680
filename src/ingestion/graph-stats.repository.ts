import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';
import { InteractionSplit } from './types/connection.type';
import { GraphCountName, GraphStatsType } from './types/payloads.type';

@Injectable()
export class GraphStatsRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /** One read transaction, so the counts are consistent with each other. */
  async stats(): Promise<GraphStatsType> {
    return this.neo4j.readTx('ingestion/graph-stats', async (tx) => {
      const [c] = await tx.run('ingestion/graph-stats');
      const n = (k: string) => toNumber(c.get(k), k);
      const splits = await tx.run('ingestion/count-interactions-by-split');
      return {
        nodes: [
          { name: GraphCountName.USER, count: n('users') },
          { name: GraphCountName.ITEM, count: n('items') },
          { name: GraphCountName.HIDDEN_ITEM, count: n('hiddenItems') },
        ],
        relationships: [
          { name: GraphCountName.INTERACTED, count: n('interactions') },
          { name: GraphCountName.FRIEND, count: n('friendships') },
          { name: GraphCountName.FOLLOWS, count: n('follows') },
        ],
        interactionsBySplit: splits.map((r) => ({
          split: (r.get('split') as InteractionSplit | null) ?? null,
          count: toNumber(r.get('count'), 'count'),
        })),
      };
    });
  }
}
