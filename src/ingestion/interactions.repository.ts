import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import { toNumber } from '../graph/mappers';
import { Neo4jClient } from '../graph/neo4j.client';
import { countedEvents, EventRow, mergePairs } from './interaction-pairs';

export type { PairRow } from './interaction-pairs';

export type RecordOutcome =
  | { missingUsers: string[]; missingItems: string[] }
  | { counted: number; duplicates: number; pairs: number; created: number; usersCreated: number; itemsCreated: number };

@Injectable()
export class InteractionsRepository {
  constructor(private readonly neo4j: Neo4jClient) {}

  /**
   * One write transaction: finds unknown users/items; without createMissing returns them and
   * writes nothing, with it creates bare nodes first; then claims the batch's event ids (an id
   * already recorded counts nothing) and merges the remaining events, per pair, into their edges.
   * The claim and the merge commit together, so a retried attempt (the driver's, after a commit
   * whose answer was lost, or the client's) never counts an event twice.
   */
  async record(events: EventRow[], userIds: string[], itemIds: string[], createMissing: boolean, now: number): Promise<RecordOutcome> {
    const ids = [...new Set(events.flatMap((e) => (e.eventId === null ? [] : [e.eventId])))];
    return this.neo4j.writeTx('ingestion/merge-interactions', async (tx) => {
      const [mu] = await tx.run('ingestion/find-missing-users', { ids: userIds });
      const [mi] = await tx.run('ingestion/find-missing-items', { ids: itemIds });
      const missingUsers = mu.get('missing') as string[];
      const missingItems = mi.get('missing') as string[];
      if (!createMissing && (missingUsers.length || missingItems.length)) return { missingUsers, missingItems };
      if (missingUsers.length) await tx.run('ingestion/create-bare-users', { ids: missingUsers, now });
      if (missingItems.length) await tx.run('ingestion/create-bare-items', { ids: missingItems, now });
      let fresh: Set<string> | null = null;
      if (ids.length) {
        // a new token per attempt: a retry of an attempt that did commit finds its ids taken
        const [c] = await tx.run('ingestion/claim-events', { ids, attempt: randomUUID(), now });
        fresh = new Set(c.get('fresh') as string[]);
      }
      const counted = countedEvents(events, fresh);
      const rows = mergePairs(counted);
      let pairs = 0;
      let created = 0;
      if (rows.length) {
        const [r] = await tx.run('ingestion/merge-interactions', { rows });
        pairs = toNumber(r.get('pairs'), 'pairs');
        created = toNumber(r.get('created'), 'created');
      }
      return {
        counted: counted.length,
        duplicates: events.length - counted.length,
        pairs,
        created,
        usersCreated: missingUsers.length,
        itemsCreated: missingItems.length,
      };
    });
  }

  /** Forgets event ids recorded before `before` (retention): deleted count. */
  async pruneEvents(before: number): Promise<number> {
    const [r] = await this.neo4j.autoCommit('ingestion/prune-events', { before: neo4j.int(before) });
    return r ? toNumber(r.get('deleted'), 'deleted') : 0;
  }
}
