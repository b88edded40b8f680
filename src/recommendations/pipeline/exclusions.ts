/**
 * Serving stage "masks and filters": what a ranking may never hold (the user's seen items, kept out
 * of the cached ranking) and what one request leaves out on top (hidden items, excluded ids, tag
 * filters), as a predicate over slots.
 */
import { Slots } from '../catalogue-build';
import { HiddenItems } from '../user-state.service';

/** Which slots a request may show. */
export type SlotMask = (slot: number) => boolean;

/** The request's own exclusions' terms. */
export interface RequestExclusions {
  excludeIds: Set<string>;
  include: string[];
  exclude: string[];
}

/** Seen items can never be recommended: their scores become -Infinity. */
export function excludeSeen(scores: Float64Array, slots: Pick<Slots, 'index'>, seen: Set<string>): void {
  for (const id of seen) {
    const k = slots.index.get(id);
    if (k !== undefined) scores[k] = -Infinity;
  }
}

/**
 * The request's exclusions: hidden items (the live set, plus the catalogue's flags if that set was
 * capped), excluded ids, and the tag filters (some included tag, no excluded one).
 */
export function requestMask(
  slots: Pick<Slots, 'ids' | 'tags' | 'hidden'>,
  hidden: Pick<HiddenItems, 'ids' | 'complete'>,
  req: RequestExclusions,
): SlotMask {
  const excludeIds = req.excludeIds;
  const inc = new Set(req.include);
  const exc = new Set(req.exclude);
  const filtered = inc.size > 0 || exc.size > 0;
  return (k: number): boolean => {
    const id = slots.ids[k];
    if (hidden.ids.has(id) || excludeIds.has(id) || (!hidden.complete && slots.hidden[k])) return false;
    if (!filtered) return true;
    const tags = slots.tags[k];
    return !((inc.size && !tags.some((x) => inc.has(x))) || tags.some((x) => exc.has(x)));
  };
}

/** In place: every scored slot the mask drops becomes -Infinity. */
export function maskScores(scores: Float64Array, keep: SlotMask): void {
  for (let k = 0; k < scores.length; k++) if (scores[k] > -Infinity && !keep(k)) scores[k] = -Infinity;
}
