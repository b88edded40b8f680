import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';

export type TombstoneKind = 'user' | 'item';

export interface Tombstone {
  id: string;
  /** when the delete committed, epoch ms */
  at: number;
}

/** Reads the tombstones of deleted users and items (written by the deletes themselves). */
@Injectable()
export class TombstonesRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /** The tombstones of one kind whose id starts with `prefix` ('' = all), written at or after `since` (0 = all). */
  async list(kind: TombstoneKind, prefix = '', since = 0): Promise<Tombstone[]> {
    return (await this.neo4j.read('ingestion/list-tombstones', { kind, prefix, since: neo4j.int(since) })).map((r) => ({
      id: r.get('id') as string,
      at: toNumber(r.get('at'), 'at'),
    }));
  }
}
