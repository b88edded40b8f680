import { Injectable } from '@nestjs/common';
import { Record as Neo4jRecord } from 'neo4j-driver';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';
import { UserType } from './types/user.type';

export interface UserRow {
  id: string;
  name: string | null;
  attributesJson: string | null;
}

const toUser = (r: Neo4jRecord): UserType => ({
  id: r.get('id') as string,
  name: (r.get('name') as string | null) ?? null,
  createdAt: new Date(toNumber(r.get('createdAt'), 'createdAt')),
  attributes: JSON.parse((r.get('attributesJson') as string | null) ?? '{}') as Record<string, unknown>,
});

@Injectable()
export class UsersRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  async upsert(rows: UserRow[], now: number): Promise<UserType[]> {
    return (await this.neo4j.write('ingestion/upsert-users', { rows, now })).map(toUser);
  }

  async get(id: string): Promise<UserType | null> {
    const [r] = await this.neo4j.read('ingestion/get-user', { id });
    return r ? toUser(r) : null;
  }
}
