import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { badInput, notFound, unavailable } from '../common/errors/domain-error';
import { attentionKey, ModelArtifacts } from '../model-registry/artifacts';
import { ModelKind } from '../model-registry/model-version.entity';
import { ModelStore, ServingModel } from '../model-registry/model-store';
import { Catalogue, CatalogueService, ModelView, Slots } from './catalogue.service';
import { decodeRecCursor, encodeRecCursor, queryHash } from './cursor';
import { ExplanationFriend, ExplanationItem, explainingFriends, sentence } from './explanations';
import { OnnxScorer } from './onnx-scorer';
import { ContextFriend, ContextItem, RecommendationsRepository, UserContext } from './recommendations.repository';
import { addFriendsPicks, cosine, dot, minMax, topK, weightedMean } from './scoring';
import { ServingProfile } from './serving-profile';
import { BaseRanking, ServingPath, UserState, UserStateService, UserVector } from './user-state.service';

export type ModelChoice = 'ACTIVE' | ModelKind;
/** FOLD_IN: the user's current items (and friends) through the model's encoder; FRIENDS: no items yet, friends' tastes blended with popularity; POPULAR: neither. */
export type { ServingPath };

export interface RecommendationFilter {
  includeTags?: string[] | null;
  excludeTags?: string[] | null;
  excludeItemIds?: string[] | null;
}

export interface RecommendRequest {
  userId: string;
  first: number;
  after?: string | null;
  filter?: RecommendationFilter | null;
  model: ModelChoice;
  explain: boolean;
}

export interface Explanation {
  sentence: string;
  friends: ExplanationFriend[];
  basedOn: ExplanationItem[];
}

export interface Recommendation {
  id: string;
  title: string | null;
  tags: string[];
  score: number;
  rank: number;
  isNew: boolean;
  cursor: string;
  explanation: Explanation | null;
}

export interface RecommendationPage {
  items: Recommendation[];
  hasNextPage: boolean;
  endCursor: string | null;
  path: ServingPath;
  modelVersionId: string | null;
  modelKind: ModelKind | null;
}

export interface SimilarItem {
  id: string;
  title: string | null;
  tags: string[];
  similarity: number;
  isNew: boolean;
}

/** Fold-in reads at most this many of the user's items (most recent first, then heaviest). */
export const FOLDIN_MAX_ITEMS = 200;
/** and at most this many friends. */
export const FOLDIN_MAX_FRIENDS = 50;
/** Rankings are paged up to this depth. */
export const MAX_DEPTH = 1_000;
/** Share of the friends' taste in a cold-start ranking (the rest is popularity). */
export const FRIENDS_SHARE = 0.7;
/** Explanations name at most this many friends (highest attention first). */
export const EXPLAIN_MAX_FRIENDS = 10;
/** Depth of the ranking kept per user: a page within it (after the request's own exclusions) needs no scoring. */
export const BASE_DEPTH = 256;
/** The deeper ranking kept once a request pages (or filters) past BASE_DEPTH. */
export const DEEP_DEPTH = MAX_DEPTH + BASE_DEPTH;
/** Extra candidates fetched by similarItems so a few stale (hidden/deleted) ones do not shorten it. */
const HYDRATE_MARGIN = 10;
/** A tag not in the cached vocabulary is re-checked against a catalogue read at most this old. */
const TAG_RECHECK_MS = 1_000;

const now = () => performance.now();

/**
 * Ranked, explained recommendations. A request takes its model once (hot-swap safe), reads the
 * user's current interactions and friends in one Cypher round trip, folds them into a user vector
 * with the model's ONNX encoder and scores every item with its ONNX scorer; cold users get
 * popularity shifted toward their friends' tastes; items the model has never seen are scored by
 * their tags. Hidden and already-seen items never come back.
 */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly store: ModelStore,
    private readonly repo: RecommendationsRepository,
    private readonly catalogue: CatalogueService,
    private readonly onnx: OnnxScorer,
    private readonly profile: ServingProfile,
    private readonly users: UserStateService,
  ) {}

  private async serving(choice: ModelChoice): Promise<ServingModel | null> {
    if (choice === 'ACTIVE') return this.store.active();
    const m = await this.store.ofKind(choice);
    if (!m) throw unavailable('NO_MODEL', `no ${choice} model version has been trained and activated`);
    return m;
  }

  async recommend(req: RecommendRequest): Promise<RecommendationPage> {
    const t0 = now();
    let t = t0;
    const lap = (stage: string) => {
      const x = now();
      this.profile.record(stage, x - t);
      t = x;
    };

    const serving = await this.serving(req.model);
    const model = serving?.model ?? null; // the one model object used to the end of the request
    const version = serving?.version.id ?? 'popularity';
    const include = [...new Set(req.filter?.includeTags ?? [])];
    const exclude = [...new Set(req.filter?.excludeTags ?? [])];
    const excludeIds = new Set(req.filter?.excludeItemIds ?? []);
    const q = queryHash([req.userId, req.model, include.sort(), exclude.sort(), [...excludeIds].sort()]);
    const offset = decodeRecCursor(req.after, version, q);
    lap('model');

    let cat = await this.catalogue.get();
    if (include.length || exclude.length) {
      const tags = [...include, ...exclude];
      const vocab = (c: Catalogue) => (model ? this.catalogue.view(model, c).vocabulary : c.vocabulary);
      let unknown = tags.filter((x) => !vocab(cat).has(x));
      if (unknown.length) {
        cat = await this.catalogue.fresherThan(TAG_RECHECK_MS); // a tag given to an item seconds ago is not unknown
        unknown = tags.filter((x) => !vocab(cat).has(x));
      }
      if (unknown.length) throw unknownTags(unknown);
    }
    const view = model ? this.catalogue.view(model, cat) : null;
    const slots = view?.slots ?? cat.slots;
    lap('catalogue');

    // Cached until this process writes for the user (or hides items); a miss is one Cypher round trip each.
    const [state, hidden] = await Promise.all([this.users.state(req.userId), this.users.hidden(this.catalogue.prefix)]);
    if (!state.ctx.found) throw notFound('USER_NOT_FOUND', `no user with id ${JSON.stringify(req.userId)}`);
    lap('user-state');

    // The request's own exclusions on top of the cached ranking's (seen items): hidden items (the live
    // set, plus the catalogue's flags if that set was capped), excluded ids, tag filters.
    const inc = new Set(include);
    const exc = new Set(exclude);
    const filtered = inc.size > 0 || exc.size > 0;
    const keep = (k: number): boolean => {
      const id = slots.ids[k];
      if (hidden.ids.has(id) || excludeIds.has(id) || (!hidden.complete && slots.hidden[k])) return false;
      if (!filtered) return true;
      const tags = slots.tags[k];
      return !((inc.size && !tags.some((x) => inc.has(x))) || tags.some((x) => exc.has(x)));
    };
    const end = Math.min(offset + req.first, MAX_DEPTH);
    const need = end + 1;
    let base = await this.baseRanking(req.userId, model, view, cat, state, BASE_DEPTH);
    let ranked = takeRanked(base, keep, need);
    if (!ranked && base.order.length < DEEP_DEPTH) {
      base = await this.baseRanking(req.userId, model, view, cat, state, DEEP_DEPTH);
      ranked = takeRanked(base, keep, need);
    }
    // Still short (a narrow filter): every slot through the filters.
    if (!ranked) ranked = await this.fullRanking(req.userId, model, view, cat, state, keep, need);
    lap('ranking');

    const path = base.path;
    const pageRanked = { slots: ranked.slots.slice(offset, end), scores: ranked.scores.slice(offset, end) };
    // Explanations: which friends interacted with each page item, from the friends' items in the
    // user's state (dropped with it by a friend's write here, like the user's own).
    const friendsOf = req.explain ? friendsOfItems(state.ctx.friends, new Set(pageRanked.slots.map((k) => slots.ids[k]))) : new Map<string, string[]>();

    const items: Recommendation[] = pageRanked.slots.map((k, n) => {
      const rank = offset + n + 1;
      const isNew = !!slots.isNew[k];
      return {
        id: slots.ids[k],
        title: slots.titles[k],
        tags: slots.tags[k],
        score: pageRanked.scores[n],
        rank,
        isNew,
        cursor: encodeRecCursor(version, rank, q),
        explanation: req.explain ? this.explain(model, view, req.userId, state.ctx, k, friendsOf.get(slots.ids[k]) ?? [], path, isNew) : null,
      };
    });
    if (req.explain) lap('explain');
    this.profile.record('total', now() - t0);
    return {
      items,
      hasNextPage: ranked.slots.length > end && end < MAX_DEPTH,
      endCursor: items.length ? items[items.length - 1].cursor : null,
      path,
      modelVersionId: serving?.version.id ?? null,
      modelKind: serving?.version.kind ?? null,
    };
  }

  /**
   * The user's best `depth` slots against these slots, seen items left out; kept with the user's
   * state (so until the user's next write, the next catalogue change or a model swap).
   */
  private async baseRanking(userId: string, model: ModelArtifacts | null, view: ModelView | null, cat: Catalogue, state: UserState, depth: number): Promise<BaseRanking> {
    const slots = view?.slots ?? cat.slots;
    const cached = state.rankings.get(slots);
    if (cached) {
      const r = await cached;
      if (r.complete || r.order.length >= depth) {
        this.profile.count('ranking-cached');
        return r;
      }
    }
    this.profile.count('ranking-computed');
    const p = (async (): Promise<BaseRanking> => {
      const { uv, scores } = await this.scores(userId, model, view, cat, state);
      const t = now();
      excludeSeen(scores, slots, state.seen);
      const order = topK(scores, depth);
      this.profile.record('rank', now() - t);
      return { path: uv.path, userVec: uv.userVec, order: Int32Array.from(order), scores: Float64Array.from(order, (k) => scores[k]), complete: order.length < depth };
    })();
    state.rankings.set(slots, p);
    p.catch(() => state.rankings.get(slots) === p && state.rankings.delete(slots));
    return p;
  }

  /** The ranking with every exclusion applied to the whole score array (filters too narrow for the cached ranking). */
  private async fullRanking(
    userId: string,
    model: ModelArtifacts | null,
    view: ModelView | null,
    cat: Catalogue,
    state: UserState,
    keep: (k: number) => boolean,
    need: number,
  ): Promise<Ranked> {
    this.profile.count('ranking-full');
    const slots = view?.slots ?? cat.slots;
    const { scores } = await this.scores(userId, model, view, cat, state);
    excludeSeen(scores, slots, state.seen);
    for (let k = 0; k < scores.length; k++) if (scores[k] > -Infinity && !keep(k)) scores[k] = -Infinity;
    const order = topK(scores, need);
    return { slots: order, scores: order.map((k) => scores[k]) };
  }

  /** The user's vector for a model: fold-in of their current items and friends, friends' tastes, or none. Cached with the user's state. */
  private vector(userId: string, model: ModelArtifacts, state: UserState): Promise<UserVector> {
    let p = state.vectors.get(model);
    if (!p) {
      p = this.computeVector(userId, model, state.ctx);
      state.vectors.set(model, p);
      const mine = p;
      p.catch(() => state.vectors.get(model) === mine && state.vectors.delete(model));
    }
    return p;
  }

  private async computeVector(userId: string, model: ModelArtifacts, ctx: UserContext): Promise<UserVector> {
    const friends = modelFriends(model, userId, ctx);
    const inModel = ctx.items.filter((i) => model.itemIndex.has(i.id)).slice(0, FOLDIN_MAX_ITEMS);
    if (inModel.length) {
      const userVec = await this.onnx.foldIn(
        model,
        inModel.map((i) => model.itemIndex.get(i.id)!),
        foldInWeights(model, inModel),
        friends.slice(0, FOLDIN_MAX_FRIENDS).map((f) => f.index),
      );
      return { path: 'FOLD_IN', userVec };
    }
    if (friends.length) {
      const userVec = weightedMean(model.userEmb, model.dim, friends.map((f) => f.index), friends.map((f) => f.weight));
      if (userVec) return { path: 'FRIENDS', userVec };
    }
    return { path: 'POPULAR', userVec: null };
  }

  /** Scores of every slot for this user (a fresh array the caller may modify). */
  private async scores(
    userId: string,
    model: ModelArtifacts | null,
    view: ModelView | null,
    cat: Catalogue,
    state: UserState,
  ): Promise<{ uv: UserVector; scores: Float64Array }> {
    const slots: Slots = view?.slots ?? cat.slots;
    const popular = () => ({ uv: { path: 'POPULAR' as const, userVec: null }, scores: Float64Array.from(slots.popularity) });
    if (!model || !view) return popular();
    const t = now();
    const uv = await this.vector(userId, model, state);
    const userVec = uv.userVec;
    if (!userVec) return popular();

    const modelScores = await this.onnx.score(model, userVec);
    const nModel = model.items.length;
    const scores = new Float64Array(slots.ids.length);
    scores.set(modelScores);
    for (let j = 0; j < slots.newVectors.length; j++) {
      const v = slots.newVectors[j];
      scores[nModel + j] = v ? dot(userVec, 0, v, 0, model.dim) : -Infinity; // a new item sharing no tag with the model cannot be placed
    }
    if (uv.path === 'FRIENDS') {
      const s = minMax(scores);
      const p = minMax(Float64Array.from(slots.popularity, (x) => Math.log1p(x)));
      for (let k = 0; k < scores.length; k++) scores[k] = Number.isFinite(scores[k]) ? FRIENDS_SHARE * s[k] + (1 - FRIENDS_SHARE) * p[k] : -Infinity;
    }
    // Friends' picks (a model whose trainer found them worth a weight): items the user's friends
    // interacted with move up, by how many friends (through edges the attention filter kept).
    if (uv.path === 'FOLD_IN' && model.friendsBeta > 0 && state.ctx.friends.length) {
      addFriendsPicks(scores, friendCounts(slots, keptFriends(model, userId, state.ctx.friends)), model.friendsBeta);
    }
    this.profile.record('onnx', now() - t);
    return { uv, scores };
  }

  private explain(
    model: ModelArtifacts | null,
    view: ModelView | null,
    userId: string,
    ctx: UserContext,
    k: number,
    friendIds: string[],
    path: ServingPath,
    isNew: boolean,
  ): Explanation {
    const friends = explainingFriends(model, userId, ctx.friends, new Set(friendIds));
    const basedOn: ExplanationItem[] = [];
    if (model && view) {
      const nModel = model.items.length;
      const dim = model.dim;
      const vec = k < nModel ? model.itemEmb : view.slots.newVectors[k - nModel];
      if (vec) {
        const off = k < nModel ? k * dim : 0;
        const norm = k < nModel ? view.itemNorms[k] : Math.sqrt(dot(vec, 0, vec, 0, dim));
        const sims: ExplanationItem[] = [];
        for (const it of ctx.items.slice(0, FOLDIN_MAX_ITEMS)) {
          const j = model.itemIndex.get(it.id);
          if (j === undefined) continue;
          const s = cosine(vec, off, norm, model.itemEmb, j * dim, view.itemNorms[j], dim);
          if (s > 0) sims.push({ id: it.id, title: it.title, similarity: +s.toFixed(4) });
        }
        sims.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
        basedOn.push(...sims.slice(0, 3));
      }
    }
    return { sentence: sentence(basedOn.slice(0, 2), friends, path, isNew), friends: friends.slice(0, EXPLAIN_MAX_FRIENDS), basedOn };
  }

  /** Items nearest to an item by cosine of the active model's embeddings (new items by their tag vector); hidden ones never. */
  async similarItems(itemId: string, first: number): Promise<SimilarItem[]> {
    const serving = this.store.active();
    const [target] = (await this.repo.hydrate([itemId])).values();
    if (!target) throw notFound('ITEM_NOT_FOUND', `no item with id ${JSON.stringify(itemId)}`);
    if (!serving) throw unavailable('NO_MODEL', 'no model is active: similarItems needs item embeddings (relatedItems works without one)');
    const model = serving.model;
    const view = this.catalogue.view(model, await this.catalogue.get());
    const dim = model.dim;
    const nModel = model.items.length;
    const ti = model.itemIndex.get(itemId);
    let vec: Float32Array | null;
    let off = 0;
    if (ti !== undefined) {
      vec = model.itemEmb;
      off = ti * dim;
    } else {
      const j = view.slots.index.get(itemId);
      vec = j !== undefined && j >= nModel ? view.slots.newVectors[j - nModel] : null;
    }
    if (!vec) return [];
    const norm = Math.sqrt(dot(vec, off, vec, off, dim));
    const slots = view.slots;
    const sims = new Float64Array(slots.ids.length).fill(-Infinity);
    for (let k = 0; k < slots.ids.length; k++) {
      if (slots.hidden[k] || slots.ids[k] === itemId) continue;
      if (k < nModel) sims[k] = cosine(vec, off, norm, model.itemEmb, k * dim, view.itemNorms[k], dim);
      else {
        const v = slots.newVectors[k - nModel];
        if (v) sims[k] = cosine(vec, off, norm, v, 0, Math.sqrt(dot(v, 0, v, 0, dim)), dim);
      }
    }
    const ranked = topK(sims, first + HYDRATE_MARGIN);
    const hydrated = await this.repo.hydrate(ranked.map((k) => slots.ids[k]));
    return ranked
      .filter((k) => hydrated.get(slots.ids[k]) && !hydrated.get(slots.ids[k])!.hidden)
      .slice(0, first)
      .map((k) => {
        const h = hydrated.get(slots.ids[k])!;
        return { id: h.id, title: h.title, tags: h.tags, similarity: sims[k], isNew: !!slots.isNew[k] };
      });
  }
}

/** Fold-in item weights as the model was trained: 1 (binary) or the edge weight, with its time decay. */
export function foldInWeights(model: ModelArtifacts, items: ContextItem[], at = Date.now()): number[] {
  const cfg = model.config as { edge_weight?: string; time_decay_lambda?: number };
  const lambda = typeof cfg.time_decay_lambda === 'number' ? cfg.time_decay_lambda : 0;
  return items.map((i) => {
    let w = cfg.edge_weight === 'weight' ? Math.max(i.weight, 1e-6) : 1;
    if (lambda > 0 && i.lastTs !== null) w *= Math.exp((-lambda * Math.max(0, at - i.lastTs)) / 86_400_000);
    return w;
  });
}

function unknownTags(unknown: string[]) {
  const shown = unknown.slice(0, 10).map((t) => JSON.stringify(t)).join(', ');
  return badInput(
    'UNKNOWN_TAGS',
    `filter: no item has the tag${unknown.length > 1 ? 's' : ''} ${shown}`,
    unknown.slice(0, 100).map((t) => ({ field: 'filter', message: `unknown tag ${JSON.stringify(t)}` })),
  );
}

/** The user's friends less the edges the model's attention filter dropped, with the edge's attention where the model has some. */
export function keptFriends<F extends { id: string }>(model: ModelArtifacts, userId: string, friends: F[]): Array<F & { attention: number | null }> {
  const out: Array<F & { attention: number | null }> = [];
  for (const f of friends) {
    const att = model.attention.get(attentionKey(userId, f.id));
    if (att && !att.kept) continue;
    out.push({ ...f, attention: att ? att.attention : null });
  }
  return out;
}

/**
 * The user's friends the model knows, weighted by the model's attention on the edge where it has
 * some (uniform otherwise); edges the model's attention filter dropped are left out.
 */
export function modelFriends(model: ModelArtifacts, userId: string, ctx: UserContext): Array<{ id: string; index: number; weight: number }> {
  const out: Array<{ id: string; index: number; weight: number }> = [];
  for (const f of keptFriends(model, userId, ctx.friends)) {
    const index = model.userIndex.get(f.id);
    if (index !== undefined) out.push({ id: f.id, index, weight: f.attention !== null ? Math.max(f.attention, 1e-6) : 1 });
  }
  return out.sort((a, b) => b.weight - a.weight);
}

/** Per slot: how many of these friends interacted with the item. */
export function friendCounts(slots: Pick<Slots, 'ids' | 'index'>, friends: Array<Pick<ContextFriend, 'items'>>): Float64Array {
  const counts = new Float64Array(slots.ids.length);
  for (const f of friends) {
    for (const id of f.items) {
      const k = slots.index.get(id);
      if (k !== undefined) counts[k]++;
    }
  }
  return counts;
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

/** A ranking's first slots with their scores, best first. */
interface Ranked {
  slots: number[];
  scores: number[];
}

/** Seen items can never be recommended. */
function excludeSeen(scores: Float64Array, slots: Slots, seen: Set<string>): void {
  for (const id of seen) {
    const k = slots.index.get(id);
    if (k !== undefined) scores[k] = -Infinity;
  }
}

/**
 * The first `need` slots of a cached ranking that pass the request's exclusions; null when the
 * ranking was cut off before enough passed (the caller ranks deeper). Filtering a ranking keeps its
 * order, so this is the ranking of the filtered scores.
 */
export function takeRanked(base: Pick<BaseRanking, 'order' | 'scores' | 'complete'>, keep: (slot: number) => boolean, need: number): Ranked | null {
  const slots: number[] = [];
  const scores: number[] = [];
  for (let n = 0; n < base.order.length && slots.length < need; n++) {
    const k = base.order[n];
    if (!keep(k)) continue;
    slots.push(k);
    scores.push(base.scores[n]);
  }
  return slots.length >= need || base.complete ? { slots, scores } : null;
}
