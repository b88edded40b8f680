export type NodeKind = 'USER' | 'ITEM';
export type SamplingBias = 'UNIFORM' | 'WEIGHT' | 'RECENCY';
export type EdgeType = 'INTERACTED' | 'FRIEND';

export interface GraphNodeRef {
  id: string;
  kind: NodeKind;
}

/** A frontier entry; a seed of unknown kind is looked up as a user, else as an item. */
export interface FrontierNode {
  id: string;
  kind: NodeKind | null;
}

/** One sampled edge of a hop: `id` was drawn among the neighbours of `parent`. */
export interface SampledNeighbor extends GraphNodeRef {
  parent: string;
  parentKind: NodeKind;
  weight: number;
  edge: EdgeType;
}

/**
 * The distinct nodes of a hop's sample, in first-seen order: the frontier of the next hop
 * (GraphSAGE samples hop h+1 once per distinct node of hop h).
 */
export function frontierOf(hop: readonly SampledNeighbor[]): GraphNodeRef[] {
  const seen = new Set<string>();
  const out: GraphNodeRef[] = [];
  for (const n of hop) {
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    out.push({ id: n.id, kind: n.kind });
  }
  return out;
}

/**
 * Splits batch hops (shared frontier) into one tree per seed: hop 1 of a seed are the rows whose
 * parent is the seed, hop h+1 the rows whose parent is in the seed's hop h.
 */
export function perSeed(seeds: readonly string[], hops: readonly SampledNeighbor[][]): Map<string, SampledNeighbor[][]> {
  const byParent = hops.map((hop) => {
    const m = new Map<string, SampledNeighbor[]>();
    for (const n of hop) {
      const list = m.get(n.parent);
      if (list) list.push(n);
      else m.set(n.parent, [n]);
    }
    return m;
  });
  const out = new Map<string, SampledNeighbor[][]>();
  for (const seed of seeds) {
    const tree: SampledNeighbor[][] = [];
    let parents = [seed];
    for (const m of byParent) {
      const rows = [...new Set(parents)].flatMap((p) => m.get(p) ?? []);
      tree.push(rows);
      parents = rows.map((r) => r.id);
    }
    out.set(seed, tree);
  }
  return out;
}
