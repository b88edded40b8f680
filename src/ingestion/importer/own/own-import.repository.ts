import { toNumber } from '../../../graph/mappers';
import { CypherKey } from '../../../graph/cypher-keys';
import { Neo4jClient } from '../../../graph/neo4j.client';
import { EventChunk } from './chunks';
import { EdgeRow, ItemRow, UserRow } from './rows';

/** The general importer's only door to Neo4j: one chunk = one write transaction (all or nothing). */
export class OwnImportRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /** Users created or changed. */
  async users(rows: UserRow[], now: number): Promise<number> {
    return this.count('ingestion/import-own-users', { rows, now }, 'written');
  }

  /** Items created or changed. */
  async items(rows: ItemRow[], now: number): Promise<number> {
    return this.count('ingestion/import-own-items', { rows, now }, 'written');
  }

  /**
   * Claims the chunk's tag, then writes its endpoints (bare when missing) and events, all in one
   * transaction; 0 without writing when the chunk was applied before (a rerun, a resumed run).
   */
  async events(chunk: EventChunk, tag: string, now: number): Promise<number> {
    const { users, items, pairs: _pairs, ...cols } = chunk;
    return this.neo4j.writeTx(
      'ingestion/import-own-events',
      async (tx) => {
        const claimed = await tx.run('ingestion/import-own-claim-chunk', { id: tag, now });
        if (!claimed.length) return 0;
        await tx.run('ingestion/import-own-endpoints', { users, items, now });
        const [r] = await tx.run('ingestion/import-own-events', cols);
        return toNumber(r.get('pairs'), 'pairs');
      },
      this.neo4j.batchTimeoutMs,
    );
  }

  /** FRIEND (lower id first) or FOLLOWS edges created. */
  async edges(kind: 'friend' | 'follow', rows: EdgeRow[]): Promise<number> {
    if (!rows.length) return 0;
    const key = kind === 'friend' ? 'ingestion/import-own-friendships' : 'ingestion/import-own-follows';
    return this.count(key, { a: rows.map((r) => r.a).join('\n'), b: rows.map((r) => r.b).join('\n') }, 'created');
  }

  applySchema(): Promise<string[]> {
    return this.neo4j.applySchema();
  }

  private async count(key: CypherKey, params: Record<string, unknown>, column: string): Promise<number> {
    return this.neo4j.writeTx(
      key,
      async (tx) => {
        const [r] = await tx.run(key, params);
        return r ? toNumber(r.get(column), column) : 0;
      },
      this.neo4j.batchTimeoutMs,
    );
  }
}
