import { Inject, Injectable } from '@nestjs/common';
import { badInput, ErrorDetail } from '../common/errors/domain-error';
import { validationFailed } from '../common/validation.pipe';
import { InteractionInput } from './dto/interaction.input';
import { resolveEventWeight } from './event-weights';
import { GraphChanges } from './graph-changes';
import { INGESTION_SETTINGS, IngestionSettings, tsProblem } from './ingestion.settings';
import { InteractionsRepository, PairRow } from './interactions.repository';
import { BATCH_MAX, weightProblem } from './limits';
import { RecordInteractionsPayload } from './types/payloads.type';
import { missingKeys, unknownIds } from './unknown-ids';

@Injectable()
export class InteractionsService {
  constructor(
    private readonly interactions: InteractionsRepository,
    @Inject(INGESTION_SETTINGS) private readonly settings: IngestionSettings,
    private readonly changes: GraphChanges,
  ) {}

  /**
   * Validates the whole batch, merges events per (user, item) pair, and writes it in one
   * transaction. Unknown users/items reject the batch (UNKNOWN_IDS) unless createMissing.
   */
  async record(events: InteractionInput[], createMissing: boolean, now = Date.now()): Promise<RecordInteractionsPayload> {
    if (events.length > BATCH_MAX) throw badInput('BATCH_TOO_LARGE', `at most ${BATCH_MAX} events per call, got ${events.length}`);
    const empty = { events: 0, pairs: 0, edgesCreated: 0, edgesUpdated: 0, usersCreated: 0, itemsCreated: 0 };
    if (events.length === 0) return empty;

    const details: ErrorDetail[] = [];
    const pairs = new Map<string, PairRow>();
    events.forEach((e, i) => {
      const resolved = resolveEventWeight(this.settings.eventWeights, e.type, e.weight);
      if ('error' in resolved) {
        details.push({ field: `events[${i}].${resolved.error.field}`, message: resolved.error.message });
        return;
      }
      const wp = weightProblem(resolved.weight);
      if (wp) details.push({ field: `events[${i}].weight`, message: wp });
      const ts = e.ts ? e.ts.getTime() : now;
      const tp = tsProblem(ts, now, this.settings.maxFutureMs);
      if (tp) details.push({ field: `events[${i}].ts`, message: tp });
      if (wp || tp) return;
      const key = `${e.userId}\u0000${e.itemId}`;
      const p = pairs.get(key);
      if (!p) {
        pairs.set(key, {
          userId: e.userId,
          itemId: e.itemId,
          weight: resolved.weight,
          count: 1,
          types: [e.type],
          type: e.type,
          firstTs: ts,
          lastTs: ts,
        });
        return;
      }
      p.weight += resolved.weight;
      p.count += 1;
      if (!p.types.includes(e.type)) p.types.push(e.type);
      // Latest event by time; among equal times the later one in the batch.
      if (ts >= p.lastTs) {
        p.type = e.type;
        p.lastTs = ts;
      }
      p.firstTs = Math.min(p.firstTs, ts);
    });
    if (details.length) throw validationFailed(details);

    const rows = [...pairs.values()];
    const userIds = [...new Set(rows.map((r) => r.userId))];
    const itemIds = [...new Set(rows.map((r) => r.itemId))];
    const out = await this.changes.after({ kind: 'userEdges', userIds }, () =>
      this.interactions.record(rows, userIds, itemIds, createMissing, now),
    );
    if ('missingUsers' in out) {
      const missing = new Set([...missingKeys('user', out.missingUsers), ...missingKeys('item', out.missingItems)]);
      throw unknownIds(
        missing,
        events.flatMap((e, i) => [
          { id: e.userId, field: `events[${i}].userId`, kind: 'user' as const },
          { id: e.itemId, field: `events[${i}].itemId`, kind: 'item' as const },
        ]),
      );
    }
    return {
      events: events.length,
      pairs: out.pairs,
      edgesCreated: out.created,
      edgesUpdated: out.pairs - out.created,
      usersCreated: out.usersCreated,
      itemsCreated: out.itemsCreated,
    };
  }
}
