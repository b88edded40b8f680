import { Injectable } from '@nestjs/common';
import { Record as Neo4jRecord } from 'neo4j-driver';
import { CypherTx, Neo4jClient } from '../graph/neo4j.client';
import { toNumberOrNull } from '../graph/mappers';

export interface SnapshotItemRow {
  id: string;
  hidden: boolean;
  tags: string[];
}

export interface SnapshotInteractionRow {
  user: string;
  item: string;
  weight: number;
  count: number;
  firstTs: number | null;
  lastTs: number | null;
  split: 'train' | 'test' | 'none';
}

export interface SnapshotFriendshipRow {
  a: string;
  b: string;
  overlap: number | null;
}

/** The four streams of one snapshot, all inside one read transaction; consume them in this order. */
export interface SnapshotStreams {
  users(): AsyncIterable<string>;
  items(): AsyncIterable<SnapshotItemRow>;
  interactions(): AsyncIterable<SnapshotInteractionRow>;
  friendships(): AsyncIterable<SnapshotFriendshipRow>;
}

async function* mapped<T>(records: AsyncIterable<Neo4jRecord>, map: (r: Neo4jRecord) => T): AsyncIterable<T> {
  for await (const r of records) yield map(r);
}

function streamsOf(tx: CypherTx, prefix: string): SnapshotStreams {
  const params = { prefix };
  return {
    users: () => mapped(tx.stream('sampling/export-users', params), (r) => r.get('id') as string),
    items: () =>
      mapped(tx.stream('sampling/export-items', params), (r) => ({
        id: r.get('id') as string,
        hidden: r.get('hidden') as boolean,
        tags: r.get('tags') as string[],
      })),
    interactions: () =>
      mapped(tx.stream('sampling/export-interactions', params), (r) => ({
        user: r.get('user') as string,
        item: r.get('item') as string,
        weight: toNumberOrNull(r.get('weight'), 'weight') ?? 1,
        count: toNumberOrNull(r.get('count'), 'count') ?? 1,
        firstTs: toNumberOrNull(r.get('firstTs'), 'firstTs'),
        lastTs: toNumberOrNull(r.get('lastTs'), 'lastTs'),
        split: r.get('split') as SnapshotInteractionRow['split'],
      })),
    friendships: () =>
      mapped(tx.stream('sampling/export-friendships', params), (r) => ({
        a: r.get('a') as string,
        b: r.get('b') as string,
        overlap: toNumberOrNull(r.get('overlap'), 'overlap'),
      })),
  };
}

@Injectable()
export class SnapshotRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /**
   * Runs `consume` with the snapshot streams of one read transaction (one consistent view of the
   * graph). The driver may retry the transaction on a transient error, so `consume` must start over
   * cleanly each time it is called.
   */
  read<T>(prefix: string, consume: (streams: SnapshotStreams) => Promise<T>, timeoutMs?: number): Promise<T> {
    // The whole graph streams in one transaction: batch work, not an API read.
    return this.neo4j.readTx('sampling/export-snapshot', (tx) => consume(streamsOf(tx, prefix)), timeoutMs ?? this.neo4j.batchTimeoutMs);
  }
}
