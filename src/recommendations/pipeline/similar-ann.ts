/**
 * similarItems from the model's cosine index (models of ≥ ANN_MIN_ITEMS items, `model.similar`
 * READY): the k model items nearest to the target by the index, plus every new item with a tag
 * vector (not in the index), each compared exactly (the cosine of similarSlots); hidden slots and the
 * item itself are dropped. While fewer than `depth` pass, k doubles; while fewer than `first` are
 * still there when hydrated (deleted or hidden since the catalogue was read), the depth doubles;
 * past MAX_CANDIDATES the caller compares every slot (similarSlots), so the answer is never short
 * where the exact one is not (docs/decisions/0035-similar-items-ann.md).
 */
import { ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView } from '../catalogue-build';
import { HydratedItem } from '../recommendations.repository';
import { MAX_CANDIDATES } from './candidates';
import { slotCosine, slotVector, vectorNorm } from './item-vectors';
import { HYDRATE_MARGIN, SimilarItem, similarItems, SimilarSlots, similarSlots } from './similar-items';

/**
 * The first width asked of the index. Trained item embeddings crowd by cosine: on lastfm (the serving
 * bench's SocialGCN, 17,632 × 64) the top 20 of the 32 nearest found by a 16 / 128 graph held 0.87 of
 * the exact top 20 (98% of them within 0.01 of cosine of the 20th). With the index's 32 / 256 graph,
 * 1,024 gives Recall@20 0.9975 on lastfm and 0.9915 at 100,000 items, 1.5 and 3.7 ms p50 on the shared
 * 2-core box (docs/scale.md#similaritems).
 */
export const SIMILAR_BASE_K = 1_024;

/** The best `depth` candidates at width k passing the masks; `short` when fewer pass and the index had more to give. */
export interface SimilarCandidates extends SimilarSlots {
  short: boolean;
}

/**
 * The target's neighbours among its k nearest model items by the index and every new item, best
 * first (ties: lower slot first, as topK); null when the index cannot answer (none READY, or a
 * target without a vector or with a zero one: similarSlots handles those as it always has).
 */
export function similarCandidates(
  model: ModelArtifacts,
  view: ModelView,
  itemId: string,
  depth: number,
  k: number,
): SimilarCandidates | null {
  if (model.similar.status !== 'READY') return null;
  const index = model.similar.index;
  const k0 = model.itemIndex.get(itemId) ?? view.slots.index.get(itemId);
  const target = k0 === undefined ? null : slotVector(model, view, k0);
  if (!target) return null;
  const norm = vectorNorm(target.vec, target.off, model.dim);
  if (!(norm > 0)) return null;
  const { ids, hidden, newVectors } = view.slots;
  const nModel = model.items.length;
  const found = index.search(target.vec, target.off, k);
  const cosine = slotCosine(model, view);
  const pass: number[] = [];
  const cos: number[] = [];
  const consider = (s: number) => {
    if (hidden[s] || ids[s] === itemId) return;
    const c = cosine(target.vec, target.off, norm, s);
    if (c === -Infinity) return;
    pass.push(s);
    cos.push(c);
  };
  for (const s of found) consider(s);
  for (let j = 0; j < newVectors.length; j++) if (newVectors[j]) consider(nModel + j);
  const order = Array.from(pass.keys()).sort((a, b) => cos[b] - cos[a] || pass[a] - pass[b]);
  const ranked = order.slice(0, depth).map((i) => pass[i]);
  const sims: Record<number, number> = {};
  for (const i of order.slice(0, depth)) sims[pass[i]] = cos[i];
  // Fewer passing than asked: the k nearest were cut off unless they were every model item.
  const short = pass.length < depth && found.length < nModel;
  return { ranked, sims, short };
}

export interface NearestItems {
  items: SimilarItem[];
  /** 'ann': from the index at width `k`; 'exact': every slot compared */
  via: 'ann' | 'exact';
  k: number;
}

/**
 * The first `first` items nearest to `itemId` that exist and are visible: from the index when it is
 * READY (widened as above), else (or past MAX_CANDIDATES) by comparing every slot.
 */
export async function nearestItems(
  model: ModelArtifacts,
  view: ModelView,
  itemId: string,
  first: number,
  hydrate: (ids: string[]) => Promise<Map<string, HydratedItem>>,
  { startK = SIMILAR_BASE_K, maxK = MAX_CANDIDATES }: { startK?: number; maxK?: number } = {},
): Promise<NearestItems> {
  let depth = first + HYDRATE_MARGIN;
  for (let k = Math.max(startK, depth + 1); k <= maxK;) {
    const c = similarCandidates(model, view, itemId, depth, k);
    if (!c) break;
    if (c.short) {
      k *= 2;
      continue;
    }
    const items = similarItems(c, view.slots, await hydrate(c.ranked.map((s) => view.slots.ids[s])), first);
    // enough are still there, or every passing slot was ranked
    if (items.length >= first || c.ranked.length < depth) return { items, via: 'ann', k };
    depth *= 2;
    k = Math.max(k, depth + 1);
  }
  const exact = similarSlots(model, view, itemId, first);
  const items = exact ? similarItems(exact, view.slots, await hydrate(exact.ranked.map((s) => view.slots.ids[s])), first) : [];
  return { items, via: 'exact', k: 0 };
}
