import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import { toNumber, toNumberOrNull } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';

export interface ContextItem {
  id: string;
  title: string | null;
  weight: number;
  lastTs: number | null;
}

export interface ContextFriend {
  id: string;
  name: string | null;
  /** ids of the items the friend interacted with, sorted (capped: any CONTEXT_MAX_FRIEND_ITEMS of them) */
  items: string[];
}

/** What serving needs to know about a user (one Cypher round trip, for one user or many). */
export interface UserContext {
  found: boolean;
  /** Most recent first, then heaviest. */
  items: ContextItem[];
  friends: ContextFriend[];
  /** What user-context-fingerprint reads for this context (set by the repository): equal means unchanged. */
  fingerprint?: string;
}

export type ContextLimits = { items: number; friends: number; friendItems: number };

/** The parameters of read-user-context and user-context-fingerprint (the same caps, so they agree). */
function contextParams(userIds: string[], limits: ContextLimits) {
  return {
    userIds,
    maxItems: neo4j.int(limits.items),
    maxFriends: neo4j.int(limits.friends),
    maxFriendItems: neo4j.int(limits.friendItems),
  };
}

/** One string from the numbers a context is fingerprinted by (both reads format them here, alike). */
function fingerprint(found: boolean, items: number, weights: number, times: number, itemUpdate: number, friends: string[]): string {
  return [found, items, weights.toFixed(6), times, itemUpdate, friends.join('\u0001')].join('|');
}

export interface HydratedItem {
  id: string;
  title: string | null;
  tags: string[];
  hidden: boolean;
}

export interface CatalogueRow {
  id: string;
  title: string | null;
  tags: string[];
  hidden: boolean;
  popularity: number;
}

/** All Cypher of the recommendations domain. */
@Injectable()
export class RecommendationsRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /** The users' contexts (one per given id, `found: false` for unknown ids) in one auto-commit round trip. */
  async userContexts(userIds: string[], limits: ContextLimits): Promise<Map<string, UserContext>> {
    // readOnce: a single auto-commit round trip (on a request's critical path when not cached).
    const rows = await this.neo4j.readOnce('recommendations/read-user-context', contextParams(userIds, limits));
    const out = new Map<string, UserContext>();
    for (const r of rows) {
      const raw = r.get('items') as Array<Record<string, unknown>>;
      const items = raw.map((it) => ({
        id: it.id as string,
        title: (it.title as string | null) ?? null,
        weight: toNumberOrNull(it.weight, 'weight') ?? 1,
        lastTs: toNumberOrNull(it.lastTs, 'lastTs'),
      }));
      const friends = (r.get('friends') as Array<Record<string, unknown>>).map((f) => ({
        id: f.id as string,
        name: (f.name as string | null) ?? null,
        items: (f.items as string[]).sort(),
      }));
      const found = r.get('found') as boolean;
      const fp = fingerprint(
        found,
        raw.length,
        raw.reduce((a, it) => a + (toNumberOrNull(it.weight, 'weight') ?? 0), 0),
        raw.reduce((a, it) => a + (toNumberOrNull(it.lastTs, 'lastTs') ?? 0), 0),
        raw.reduce((a, it) => Math.max(a, toNumberOrNull(it.updatedAt, 'updatedAt') ?? 0), 0),
        friends.map((f) => `${f.id}:${f.name ?? ''}:${f.items.length}`),
      );
      out.set(r.get('userId') as string, { found, items, friends, fingerprint: fp });
    }
    return out;
  }

  /** The users' context fingerprints (UserContext.fingerprint), one small row each. */
  async contextFingerprints(userIds: string[], limits: ContextLimits): Promise<Map<string, string>> {
    const rows = await this.neo4j.readOnce('recommendations/user-context-fingerprint', contextParams(userIds, limits));
    const out = new Map<string, string>();
    for (const r of rows) {
      out.set(
        r.get('userId') as string,
        fingerprint(
          r.get('found') as boolean,
          toNumber(r.get('items'), 'items'),
          toNumber(r.get('weights'), 'weights'),
          toNumber(r.get('times'), 'times'),
          toNumber(r.get('itemUpdate'), 'itemUpdate'),
          r.get('friends') as string[],
        ),
      );
    }
    return out;
  }

  /** Ids of the scope's items hidden now (at most `max`). */
  async hiddenItems(prefix: string, max: number): Promise<string[]> {
    return (await this.neo4j.readOnce('recommendations/list-hidden-items', { prefix, maxHidden: neo4j.int(max) })).map(
      (r) => r.get('id') as string,
    );
  }

  /** Ids of the scope's deleted (tombstoned) items: models trained before the delete still hold them. */
  async deletedItems(prefix: string): Promise<string[]> {
    return (await this.neo4j.readOnce('recommendations/list-deleted-items', { prefix })).map((r) => r.get('id') as string);
  }

  async hydrate(ids: string[]): Promise<Map<string, HydratedItem>> {
    const out = new Map<string, HydratedItem>();
    if (!ids.length) return out;
    for (const r of await this.neo4j.read('recommendations/hydrate-items', { ids })) {
      const id = r.get('id') as string;
      out.set(id, {
        id,
        title: (r.get('title') as string | null) ?? null,
        tags: (r.get('tags') as string[]) ?? [],
        hidden: r.get('hidden') as boolean,
      });
    }
    return out;
  }

  /** Item count, interactions on them, hidden items and the latest item update, as one comparable string. */
  async catalogueFingerprint(prefix: string): Promise<string> {
    const [r] = await this.neo4j.readOnce('recommendations/catalogue-fingerprint', { prefix });
    return ['items', 'hidden', 'updatedAt'].map((k) => toNumber(r.get(k), k)).join('/');
  }

  /**
   * Every item of the scope in id order, handed to a sink as each record arrives (nothing kept here: 1.06M rows at
   * the 60× rung). A retried read starts over with a new sink from `start`.
   */
  async eachCatalogueRow(prefix: string, start: () => (row: CatalogueRow) => void): Promise<void> {
    await this.neo4j.readTx('recommendations/list-catalogue', async (tx) => {
      const sink = start();
      await tx.each('recommendations/list-catalogue', { prefix }, (r) =>
        sink({
          id: r.get('id') as string,
          title: (r.get('title') as string | null) ?? null,
          tags: r.get('tags') as string[],
          hidden: r.get('hidden') as boolean,
          popularity: toNumber(r.get('popularity'), 'popularity'),
        }),
      );
    });
  }
}
