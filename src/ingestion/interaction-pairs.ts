/** One validated event of recordInteractions, weight resolved and time in epoch ms. */
export interface EventRow {
  /** The client's id for the event (exactly-once); null when the client sent none. */
  eventId: string | null;
  userId: string;
  itemId: string;
  type: string;
  weight: number;
  ts: number;
}

/** Events of one (user, item) pair, merged before writing. */
export interface PairRow {
  userId: string;
  itemId: string;
  weight: number;
  count: number;
  types: string[];
  type: string;
  firstTs: number;
  lastTs: number;
}

/**
 * Merges events per (user, item) pair in batch order: weights add up, count counts, types gather,
 * type is the latest event's (among equal times the later one in the batch), times span them.
 */
export function mergePairs(events: EventRow[]): PairRow[] {
  const pairs = new Map<string, PairRow>();
  for (const e of events) {
    const key = `${e.userId}\u0000${e.itemId}`;
    const p = pairs.get(key);
    if (!p) {
      pairs.set(key, {
        userId: e.userId,
        itemId: e.itemId,
        weight: e.weight,
        count: 1,
        types: [e.type],
        type: e.type,
        firstTs: e.ts,
        lastTs: e.ts,
      });
      continue;
    }
    p.weight += e.weight;
    p.count += 1;
    if (!p.types.includes(e.type)) p.types.push(e.type);
    if (e.ts >= p.lastTs) {
      p.type = e.type;
      p.lastTs = e.ts;
    }
    p.firstTs = Math.min(p.firstTs, e.ts);
  }
  return [...pairs.values()];
}

/**
 * The events that count: those without an id, and the first event of each id that `fresh` holds
 * (an id repeated in one batch is one event). `fresh` null: every id is fresh.
 */
export function countedEvents(events: EventRow[], fresh: Set<string> | null): EventRow[] {
  const taken = new Set<string>();
  return events.filter((e) => {
    if (e.eventId === null) return true;
    if (taken.has(e.eventId) || (fresh && !fresh.has(e.eventId))) return false;
    taken.add(e.eventId);
    return true;
  });
}
