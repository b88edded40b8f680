/**
 * The INTERACTED edge of one (user, item) pair as the transactional importer leaves it: events are first
 * merged within their chunk (aggregateChunk in ../chunks.ts), then each chunk is folded into the edge in
 * chunk order the way import-own-events.cypher does. Replaying both steps here gives the same properties
 * (same float sums in the same order, same `type` rule with missing timestamps), so a bulk load and a
 * transactional import of the same files hold the same edges.
 */
export interface PairEdge {
  u: string;
  i: string;
  count: number;
  weight: number;
  types: string[];
  type: string | null;
  firstTs: number | null;
  lastTs: number | null;
  /** the chunk being merged (aggregateChunk's state), folded into the edge when the next chunk starts */
  chunk: number;
  cw: number;
  cc: number;
  ctypes: string[];
  ctype: string;
  cf: number | null;
  cl: number | null;
}

export function newPair(u: string, i: string): PairEdge {
  return {
    u,
    i,
    count: 0,
    weight: 0,
    types: [],
    type: null,
    firstTs: null,
    lastTs: null,
    chunk: -1,
    cw: 0,
    cc: 0,
    ctypes: [],
    ctype: '',
    cf: null,
    cl: null,
  };
}

/** One event of chunk `chunk` (chunks numbered in file order across the event files), in file order. */
export function addEvent(p: PairEdge, chunk: number, type: string, weight: number, ts: number | null): void {
  if (chunk !== p.chunk) {
    if (p.chunk >= 0) fold(p);
    p.chunk = chunk;
    p.cw = weight;
    p.cc = 1;
    p.ctypes = [type];
    p.ctype = type;
    p.cf = ts;
    p.cl = ts;
    return;
  }
  // aggregateChunk
  p.cw += weight;
  p.cc += 1;
  if (!p.ctypes.includes(type)) p.ctypes.push(type);
  if (ts === null || p.cl === null || ts >= p.cl) p.ctype = type;
  if (ts !== null) {
    p.cf = p.cf === null ? ts : Math.min(p.cf, ts);
    p.cl = p.cl === null ? ts : Math.max(p.cl, ts);
  }
}

/** import-own-events.cypher's SET for the chunk in progress. */
function fold(p: PairEdge): void {
  const prevLast = p.lastTs;
  const prevFirst = p.firstTs;
  p.weight = p.weight + p.cw;
  p.count = p.count + p.cc;
  for (const t of p.ctypes) if (!p.types.includes(t)) p.types.push(t);
  if (p.type === null || p.cl === null || prevLast === null || p.cl >= prevLast) p.type = p.ctype;
  p.firstTs = p.cf === null ? prevFirst : prevFirst === null || p.cf < prevFirst ? p.cf : prevFirst;
  p.lastTs = p.cl === null ? prevLast : prevLast === null || p.cl > prevLast ? p.cl : prevLast;
}

/** Folds the last chunk; call once after the pair's last event. */
export function finishPair(p: PairEdge): PairEdge {
  if (p.chunk >= 0) fold(p);
  p.chunk = -1;
  return p;
}
