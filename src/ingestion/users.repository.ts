import { Injectable } from '@nestjs/common';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';
import { msDate, toItem, toUser } from './graph.mappers';
import { FriendType, InteractionSplit, InteractionType } from './types/connection.type';
import { UserType } from './types/user.type';

export interface UserRow {
  id: string;
  name: string | null;
  attributesJson: string | null;
}

export interface UserDeletion {
  interactions: number;
  friendships: number;
  relationships: number;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  async upsert(rows: UserRow[], now: number): Promise<UserType[]> {
    return (await this.neo4j.write('ingestion/upsert-users', { rows, now })).map(toUser);
  }

  /** Users by id (absent ones are not in the map). */
  async getMany(ids: string[]): Promise<Map<string, UserType>> {
    const rows = await this.neo4j.read('ingestion/get-users', { ids });
    return new Map(rows.map((r) => [r.get('id') as string, toUser(r)]));
  }

  async get(id: string): Promise<UserType | null> {
    const [r] = await this.neo4j.read('ingestion/get-user', { id });
    return r ? toUser(r) : null;
  }

  /**
   * Deletes the user and all its relationships and records its tombstone, in one transaction (the
   * model store and the snapshot export honour it); null when absent (nothing written).
   */
  async delete(id: string, now: number): Promise<UserDeletion | null> {
    return this.neo4j.writeTx('ingestion/delete-user', async (tx) => {
      const [r] = await tx.run('ingestion/delete-user', { id });
      if (!r) return null;
      await tx.run('ingestion/write-tombstones', { kind: 'user', ids: [id], now });
      return {
        interactions: toNumber(r.get('interactions'), 'interactions'),
        friendships: toNumber(r.get('friendships'), 'friendships'),
        relationships: toNumber(r.get('relationships'), 'relationships'),
      };
    });
  }

  async counts(id: string): Promise<{ interactions: number; friends: number }> {
    const [r] = await this.neo4j.read('ingestion/count-user-edges', { id });
    return r
      ? { interactions: toNumber(r.get('interactions'), 'interactions'), friends: toNumber(r.get('friends'), 'friends') }
      : { interactions: 0, friends: 0 };
  }

  async interactions(id: string, after: string | null, limit: number): Promise<InteractionType[]> {
    const rows = await this.neo4j.read('ingestion/list-user-interactions', { id, after, limit });
    return rows.map((r) => ({
      item: toItem(r),
      type: r.get('type') as string,
      types: (r.get('types') as string[] | null) ?? [r.get('type') as string],
      weight: Number(r.get('weight')),
      count: toNumber(r.get('count'), 'count'),
      firstTs: msDate(r.get('firstTs'), 'firstTs'),
      lastTs: msDate(r.get('lastTs'), 'lastTs'),
      split: (r.get('split') as InteractionSplit | null) ?? null,
    }));
  }

  async friends(id: string, after: string | null, limit: number): Promise<FriendType[]> {
    const rows = await this.neo4j.read('ingestion/list-user-friends', { id, after, limit });
    return rows.map((r) => ({ user: toUser(r), since: msDate(r.get('since'), 'since') }));
  }
}
