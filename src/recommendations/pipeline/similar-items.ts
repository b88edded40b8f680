/**
 * similarItems' ranking: the slots nearest to an item by cosine of the model's embeddings (new
 * items by their tag vector), then the candidates that are still visible once hydrated.
 */
import { ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView, Slots } from '../catalogue-build';
import { HydratedItem } from '../recommendations.repository';
import { topK } from '../scoring';
import { slotCosine, slotVector, vectorNorm } from './item-vectors';

/** Extra candidates ranked so a few stale (hidden/deleted) ones do not shorten the answer. */
export const HYDRATE_MARGIN = 10;

export interface SimilarItem {
  id: string;
  title: string | null;
  tags: string[];
  similarity: number;
  isNew: boolean;
}

export interface SimilarSlots {
  /** candidate slots, nearest first: `first` + HYDRATE_MARGIN at most */
  ranked: number[];
  /** cosine by slot, at least of the ranked ones (exact: every slot, -Infinity for the item itself, hidden, or no vector) */
  sims: Readonly<Record<number, number>>;
}

/** The slots nearest to `itemId`; null when the item has no vector (a new item sharing no tag with the model). */
export function similarSlots(model: ModelArtifacts, view: ModelView, itemId: string, first: number): SimilarSlots | null {
  const k0 = model.itemIndex.get(itemId) ?? view.slots.index.get(itemId);
  const target = k0 === undefined ? null : slotVector(model, view, k0);
  if (!target) return null;
  // The target's exact norm (the view keeps Float32 ones): similarItems has always used it.
  const norm = vectorNorm(target.vec, target.off, model.dim);
  const cosine = slotCosine(model, view);
  const slots = view.slots;
  const sims = new Float64Array(slots.ids.length).fill(-Infinity);
  for (let k = 0; k < slots.ids.length; k++) {
    if (slots.hidden[k] || slots.ids[k] === itemId) continue;
    sims[k] = cosine(target.vec, target.off, norm, k);
  }
  return { ranked: topK(sims, first + HYDRATE_MARGIN), sims };
}

/** The first `first` candidates that still exist and are not hidden, with their current title and tags. */
export function similarItems(
  candidates: SimilarSlots,
  slots: Pick<Slots, 'ids' | 'isNew'>,
  hydrated: Map<string, HydratedItem>,
  first: number,
): SimilarItem[] {
  const { ranked, sims } = candidates;
  return ranked
    .filter((k) => hydrated.get(slots.ids[k]) && !hydrated.get(slots.ids[k])!.hidden)
    .slice(0, first)
    .map((k) => {
      const h = hydrated.get(slots.ids[k])!;
      return { id: h.id, title: h.title, tags: h.tags, similarity: sims[k], isNew: !!slots.isNew[k] };
    });
}
