import { EventRow } from './rows';

/** One chunk's events merged per (user, item), as import-own-events takes them (newline-joined columns). */
export interface EventChunk {
  users: string;
  items: string;
  u: string;
  i: string;
  w: string;
  c: string;
  types: string;
  type: string;
  f: string;
  l: string;
  pairs: number;
}

/**
 * Merges a chunk's events per (user, item) the way recordInteractions does: weights summed, events
 * counted, distinct types, the type of the latest event (the last one in the file when times are
 * missing or equal), the earliest and latest timestamps.
 */
export function aggregateChunk(rows: EventRow[]): EventChunk {
  const pairs = new Map<
    string,
    { u: string; i: string; w: number; c: number; types: Set<string>; type: string; f: number | null; l: number | null }
  >();
  for (const r of rows) {
    const key = `${r.u}\u0000${r.i}`;
    const p = pairs.get(key);
    if (!p) {
      pairs.set(key, { u: r.u, i: r.i, w: r.weight, c: 1, types: new Set([r.type]), type: r.type, f: r.ts, l: r.ts });
      continue;
    }
    p.w += r.weight;
    p.c += 1;
    p.types.add(r.type);
    if (r.ts === null || p.l === null || r.ts >= p.l) p.type = r.type;
    if (r.ts !== null) {
      p.f = p.f === null ? r.ts : Math.min(p.f, r.ts);
      p.l = p.l === null ? r.ts : Math.max(p.l, r.ts);
    }
  }
  const list = [...pairs.values()];
  const col = (f: (p: (typeof list)[number]) => string) => list.map(f).join('\n');
  return {
    users: [...new Set(list.map((p) => p.u))].join('\n'),
    items: [...new Set(list.map((p) => p.i))].join('\n'),
    u: col((p) => p.u),
    i: col((p) => p.i),
    w: col((p) => String(p.w)),
    c: col((p) => String(p.c)),
    types: col((p) => [...p.types].join(',')),
    type: col((p) => p.type),
    f: col((p) => (p.f === null ? '' : String(p.f))),
    l: col((p) => (p.l === null ? '' : String(p.l))),
    pairs: list.length,
  };
}
