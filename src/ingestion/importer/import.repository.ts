import { toNumber } from '../../graph/mappers';
import { Neo4jClient } from '../../graph/neo4j.client';
import { FriendshipRow, InteractionRow, ItemRow } from './dataset';

export type ImportPhase = 'users' | 'items' | 'interactions' | 'friendships';

export interface DatasetCounts {
  users: number;
  items: number;
  interactions: number;
  train: number;
  test: number;
  unsplit: number;
  friendships: number;
}

const KEYS = {
  users: 'ingestion/import-users',
  items: 'ingestion/import-items',
  interactions: 'ingestion/import-interactions',
  friendships: 'ingestion/import-friendships',
} as const;
/** CREATE instead of MERGE for edges: only for a first import into a graph without any of the dataset's edges. */
const CREATE_KEYS = { interactions: 'ingestion/import-interactions-create', friendships: 'ingestion/import-friendships-create' } as const;

/** The importer's only door to Neo4j: one batch = one write transaction (all or nothing). */
export class ImportRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  async writeBatch(phase: 'users', rows: Array<{ id: string }>, now: number, create?: boolean): Promise<void>;
  async writeBatch(phase: 'items', rows: ItemRow[], now: number, create?: boolean): Promise<void>;
  async writeBatch(phase: 'interactions', rows: InteractionRow[], now: number, create?: boolean): Promise<void>;
  async writeBatch(phase: 'friendships', rows: FriendshipRow[], now: number, create?: boolean): Promise<void>;
  async writeBatch(phase: ImportPhase, rows: unknown[], now: number, create = false): Promise<void> {
    const key = create && (phase === 'interactions' || phase === 'friendships') ? CREATE_KEYS[phase] : KEYS[phase];
    const params = packBatch(phase, rows, now);
    // A long batch on a slow machine must not hit the API's short transaction timeout.
    await this.neo4j.writeTx(key, (tx) => tx.run(key, params), this.neo4j.batchTimeoutMs);
  }

  async counts(prefix: string): Promise<DatasetCounts> {
    const [r] = await this.neo4j.read('ingestion/count-dataset', { prefix });
    const n = (k: string) => toNumber(r.get(k), k);
    return {
      users: n('users'),
      items: n('items'),
      interactions: n('interactions'),
      train: n('train'),
      test: n('test'),
      unsplit: n('unsplit'),
      friendships: n('friendships'),
    };
  }

  applySchema(): Promise<string[]> {
    return this.neo4j.applySchema();
  }
}

/**
 * Batch parameters. Users, interactions and friendships go as newline-joined columns: the JS driver
 * packs one string far faster than thousands of small maps (about 20 µs per map row), and ids
 * cannot contain control characters. Interactions of one batch share their type and split
 * (the importer cuts batches at those boundaries).
 */
function packBatch(phase: ImportPhase, rows: unknown[], now: number): Record<string, unknown> {
  switch (phase) {
    case 'users':
      return { ids: (rows as Array<{ id: string }>).map((r) => r.id).join('\n'), now };
    case 'items':
      return { rows, now };
    case 'interactions': {
      const list = rows as InteractionRow[];
      const [first] = list;
      if (list.some((r) => r.t !== first.t || r.s !== first.s)) throw new Error('an interaction batch must share one type and split');
      return {
        u: list.map((r) => r.u).join('\n'),
        i: list.map((r) => r.i).join('\n'),
        w: list.map((r) => String(r.w)).join('\n'),
        c: list.map((r) => String(r.c)).join('\n'),
        t: first.t,
        s: first.s,
      };
    }
    case 'friendships': {
      const list = rows as FriendshipRow[];
      return { lo: list.map((r) => r.lo).join('\n'), hi: list.map((r) => r.hi).join('\n') };
    }
  }
}
