/**
 * Serving stage "explanations" (profiled as `explain`, with the page's assembly): why each item of
 * a page: the user's items nearest to it in the model's embedding space, and the friends who
 * interacted with it (through edges the model's attention filter kept), in one sentence.
 */
import { attentionKey, ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView, Slots } from '../catalogue-build';
import { ContextFriend, ContextItem, UserContext } from '../recommendations.repository';
import { ServingPath } from '../user-state.service';
import { slotCosine, slotNorm, slotVector } from './item-vectors';
import { FOLDIN_MAX_ITEMS } from './user-vector';

/** Explanations name at most this many friends (highest attention first). */
export const EXPLAIN_MAX_FRIENDS = 10;
/** and at most this many of the user's items. */
const EXPLAIN_MAX_ITEMS = 3;

export interface ExplanationFriend {
  id: string;
  name: string | null;
  /** The model's attention of the user on this friend (null when the model has none for the edge). */
  attention: number | null;
}

export interface ExplanationItem {
  id: string;
  title: string | null;
  similarity: number;
}

export interface Explanation {
  sentence: string;
  friends: ExplanationFriend[];
  basedOn: ExplanationItem[];
}

/** What explaining a page reads. */
export interface ExplanationInput {
  userId: string;
  /** null without a model (then view is null too) */
  model: ModelArtifacts | null;
  view: ModelView | null;
  slots: Pick<Slots, 'ids' | 'isNew'>;
  ctx: UserContext;
  path: ServingPath;
  /** items never named (hidden or deleted): basedOn leaves them out */
  withheld?: (id: string) => boolean;
}

/**
 * One explanation per page slot, from the friends' items in the user's state (dropped with it by
 * a friend's write here, like the user's own).
 */
export function explainPage(input: ExplanationInput, pageSlots: number[]): Explanation[] {
  const { userId, model, view, slots, ctx, path, withheld } = input;
  const ownItems = withheld ? ctx.items.filter((it) => !withheld(it.id)) : ctx.items;
  const friendsOf = friendsOfItems(ctx.friends, new Set(pageSlots.map((k) => slots.ids[k])));
  return pageSlots.map((k) => {
    const friends = explainingFriends(model, userId, ctx.friends, new Set(friendsOf.get(slots.ids[k]) ?? []));
    const items = model && view ? basedOn(model, view, ownItems, k) : [];
    return {
      sentence: sentence(items.slice(0, 2), friends, path, !!slots.isNew[k]),
      friends: friends.slice(0, EXPLAIN_MAX_FRIENDS),
      basedOn: items,
    };
  });
}

/** For each of `itemIds`, the ids of the friends who interacted with it. */
export function friendsOfItems(friends: Array<Pick<ContextFriend, 'id' | 'items'>>, itemIds: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of friends) {
    for (const id of f.items) {
      if (!itemIds.has(id)) continue;
      const list = out.get(id);
      if (list) list.push(f.id);
      else out.set(id, [f.id]);
    }
  }
  return out;
}

/**
 * The user's items (among those fold-in reads) nearest to slot k by cosine, positive ones only,
 * nearest first (ties by id), similarity to 4 decimals.
 */
export function basedOn(
  model: ModelArtifacts,
  view: ModelView,
  items: Array<Pick<ContextItem, 'id' | 'title'>>,
  k: number,
): ExplanationItem[] {
  const target = slotVector(model, view, k);
  if (!target) return [];
  const norm = slotNorm(model, view, k);
  const cosine = slotCosine(model, view);
  const sims: ExplanationItem[] = [];
  for (const it of items.slice(0, FOLDIN_MAX_ITEMS)) {
    const j = model.itemIndex.get(it.id);
    if (j === undefined) continue;
    const s = cosine(target.vec, target.off, norm, j);
    if (s > 0) sims.push({ id: it.id, title: it.title, similarity: +s.toFixed(4) });
  }
  sims.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
  return sims.slice(0, EXPLAIN_MAX_ITEMS);
}

/**
 * The friends whose interactions may explain a recommendation. When the model learned attention
 * over the user's friendships (SocialGCN, user in the model), only edges it kept count, ranked by
 * attention; edges the model never saw are not used. Otherwise every friend counts, by id.
 */
export function explainingFriends(
  model: ModelArtifacts | null,
  userId: string,
  friends: Array<{ id: string; name: string | null }>,
  interacted: Set<string>,
): ExplanationFriend[] {
  const useAttention = !!model && model.attention.size > 0 && model.userIndex.has(userId);
  const out: ExplanationFriend[] = [];
  for (const f of friends) {
    if (!interacted.has(f.id)) continue;
    const att = model?.attention.get(attentionKey(userId, f.id));
    if (useAttention && !att?.kept) continue;
    out.push({ id: f.id, name: f.name, attention: att ? att.attention : null });
  }
  return out.sort((a, b) => (b.attention ?? 0) - (a.attention ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const label = (x: { id: string; title?: string | null; name?: string | null }): string => x.title ?? x.name ?? x.id;

function andList(names: string[], total: number): string {
  const shown = names.slice(0, 2);
  const more = total - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} other${more > 1 ? 's' : ''}`;
  return shown.length === 2 ? `${shown[0]} and ${shown[1]}` : shown[0];
}

/** "Because you like X and Y, and your friends A and B like it too." */
export function sentence(basedOn: ExplanationItem[], friends: ExplanationFriend[], path: string, isNew: boolean): string {
  const parts: string[] = [];
  if (basedOn.length) parts.push(`you like ${andList(basedOn.map(label), basedOn.length)}`);
  if (friends.length)
    parts.push(
      `your friend${friends.length > 1 ? 's' : ''} ${andList(friends.map(label), friends.length)} like${friends.length > 1 ? '' : 's'} it`,
    );
  const why = parts.length ? `Because ${parts.join(', and ')}` : path === 'POPULAR' ? 'Popular right now' : 'Popular with your friends';
  return `${why}${isNew ? ' (new: matched by its tags)' : ''}.`;
}
