import { Inject, Injectable } from '@nestjs/common';
import { badInput, ErrorDetail } from '../common/errors/domain-error';
import { validationFailed } from '../common/validation.pipe';
import { InteractionInput } from './dto/interaction.input';
import { resolveEventWeight } from './event-weights';
import { GraphChanges } from './graph-changes';
import { INGESTION_SETTINGS, IngestionSettings, tsProblem } from './ingestion.settings';
import { EventRow } from './interaction-pairs';
import { InteractionsRepository } from './interactions.repository';
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
   * Validates the whole batch and writes it in one transaction, events merged per (user, item)
   * pair. Unknown users/items reject the batch (UNKNOWN_IDS) unless createMissing. An event whose
   * eventId was recorded before (a retried batch) counts nothing.
   */
  async record(events: InteractionInput[], createMissing: boolean, now = Date.now()): Promise<RecordInteractionsPayload> {
    if (events.length > BATCH_MAX) throw badInput('BATCH_TOO_LARGE', `at most ${BATCH_MAX} events per call, got ${events.length}`);
    const empty = { events: 0, duplicates: 0, pairs: 0, edgesCreated: 0, edgesUpdated: 0, usersCreated: 0, itemsCreated: 0 };
    if (events.length === 0) return empty;

    const details: ErrorDetail[] = [];
    const rows: EventRow[] = [];
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
      rows.push({ eventId: e.eventId ?? null, userId: e.userId, itemId: e.itemId, type: e.type, weight: resolved.weight, ts });
    });
    if (details.length) throw validationFailed(details);

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
      events: out.counted,
      duplicates: out.duplicates,
      pairs: out.pairs,
      edgesCreated: out.created,
      edgesUpdated: out.pairs - out.created,
      usersCreated: out.usersCreated,
      itemsCreated: out.itemsCreated,
    };
  }
}
