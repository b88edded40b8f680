import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';
import { toItem } from './graph.mappers';
import { ItemType } from './types/item.type';

export interface ItemRow {
  id: string;
  title: string | null;
  tags: string[] | null;
  attributesJson: string | null;
}

/** Either the ids that do not exist (nothing was written) or the result. */
export type Checked<T> = { missing: string[] } | { result: T };

@Injectable()
export class ItemsRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  async upsert(rows: ItemRow[], now: number): Promise<ItemType[]> {
    return (await this.neo4j.write('ingestion/upsert-items', { rows, now })).map(toItem);
  }

  async get(id: string): Promise<ItemType | null> {
    const [r] = await this.neo4j.read('ingestion/get-item', { id });
    return r ? toItem(r) : null;
  }

  /** Items by id (absent ones are not in the map). */
  async getMany(ids: string[]): Promise<Map<string, ItemType>> {
    const rows = await this.neo4j.read('ingestion/get-items', { ids });
    return new Map(rows.map((r) => [r.get('id') as string, toItem(r)]));
  }

  /** Sets `hidden` on every item, or changes nothing when one of them is missing. */
  async setHidden(ids: string[], hidden: boolean): Promise<Checked<{ matched: number; changed: number }>> {
    return this.neo4j.writeTx('ingestion/set-items-hidden', async (tx) => {
      const [m] = await tx.run('ingestion/find-missing-items', { ids });
      const missing = m.get('missing') as string[];
      if (missing.length) return { missing };
      const [r] = await tx.run('ingestion/set-items-hidden', { ids, hidden });
      return { result: { matched: toNumber(r.get('matched'), 'matched'), changed: toNumber(r.get('changed'), 'changed') } };
    });
  }

  /** Deletes every item with its edges and tombstones them (serving masks them), or nothing when one of them is missing. */
  async delete(ids: string[], now: number): Promise<Checked<{ deleted: number; interactionsRemoved: number }>> {
    return this.neo4j.writeTx('ingestion/delete-items', async (tx) => {
      const [m] = await tx.run('ingestion/find-missing-items', { ids });
      const missing = m.get('missing') as string[];
      if (missing.length) return { missing };
      const [r] = await tx.run('ingestion/delete-items', { ids });
      await tx.run('ingestion/write-tombstones', { kind: 'item', ids, now });
      return {
        result: { deleted: toNumber(r.get('deleted'), 'deleted'), interactionsRemoved: toNumber(r.get('interactions'), 'interactions') },
      };
    });
  }
}
