import { Record as Neo4jRecord } from 'neo4j-driver';
import { toNumber, toNumberOrNull } from '../graph/mappers';
import { ItemType } from './types/item.type';
import { UserType } from './types/user.type';

const json = (v: unknown): Record<string, unknown> => JSON.parse((v as string | null) ?? '{}') as Record<string, unknown>;
const msDate = (v: unknown, field: string): Date | null => {
  const n = toNumberOrNull(v, field);
  return n === null ? null : new Date(n);
};

/** Record columns id, name, createdAt, attributesJson → User. */
export const toUser = (r: Neo4jRecord): UserType => ({
  id: r.get('id') as string,
  name: (r.get('name') as string | null) ?? null,
  createdAt: new Date(toNumberOrNull(r.get('createdAt'), 'createdAt') ?? 0),
  attributes: json(r.get('attributesJson')),
});

/** Record columns id, title, tags, hidden, createdAt, attributesJson → Item. */
export const toItem = (r: Neo4jRecord): ItemType => ({
  id: r.get('id') as string,
  title: (r.get('title') as string | null) ?? null,
  tags: (r.get('tags') as string[] | null) ?? [],
  hidden: (r.get('hidden') as boolean | null) === true,
  createdAt: new Date(toNumberOrNull(r.get('createdAt'), 'createdAt') ?? 0),
  attributes: json(r.get('attributesJson')),
});

export { msDate, toNumber };
