import { Injectable } from '@nestjs/common';
import { notFound, unavailable } from '../common/errors/domain-error';
import { ModelStore } from '../model-registry/model-store';
import { CatalogueService } from './catalogue.service';
import { OnnxScorer } from './onnx-scorer';
import { catalogueView } from './pipeline/catalogue-view';
import { requestMask } from './pipeline/exclusions';
import { explainPage } from './pipeline/explanations';
import { pageWindow, RecommendationPage, recommendationPage } from './pipeline/page';
import { retrieveCandidates } from './pipeline/candidates';
import { MAX_DEPTH, rankSlots } from './pipeline/ranking';
import { decodeSimilarCursor, encodeSimilarCursor } from './cursor';
import { chooseModel, RecommendRequest, requestContext } from './pipeline/request-context';
import { scoreSlots } from './pipeline/scores';
import { sliceModel } from './pipeline/slice-model';
import { nearestItems, SIMILAR_BASE_K } from './pipeline/similar-ann';
import { HYDRATE_MARGIN, SimilarItem } from './pipeline/similar-items';
import { RecommendationsRepository } from './recommendations.repository';
import { ServingProfile } from './serving-profile';
import { UserStateService } from './user-state.service';

export type { Explanation } from './pipeline/explanations';
export type { Recommendation, RecommendationPage } from './pipeline/page';
export type { ModelChoice, RecommendationFilter, RecommendRequest } from './pipeline/request-context';
export type { SimilarItem } from './pipeline/similar-items';
/** FOLD_IN: the user's current items (and friends) through the model's encoder; FRIENDS: no items yet, friends' tastes blended with popularity; POPULAR: neither. */
export type { ServingPath } from './user-state.service';

/**
 * Ranked, explained recommendations. A request takes its model once (hot-swap safe), reads the
 * user's current interactions and friends in one Cypher round trip, folds them into a user vector
 * with the model's ONNX encoder and scores every item with its ONNX scorer; cold users get
 * popularity shifted toward their friends' tastes; items the model has never seen are scored by
 * their tags. Hidden and already-seen items never come back. Each stage is a file of pipeline/;
 * the profile's stage names are the laps below.
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

  async recommend(req: RecommendRequest): Promise<RecommendationPage> {
    const clock = this.profile.clock();
    // the active model and its slice routing taken together (a swap replaces both), or the named kind's
    const routed = this.store.routed();
    const chosen = req.model === 'ACTIVE' ? routed.serving : await chooseModel(this.store, req.model);
    clock.lap('model');

    // Cached until this process writes for the user (or hides items); a miss is one Cypher round trip each.
    const [state, hidden] = await Promise.all([this.users.state(req.userId), this.users.hidden(this.catalogue.prefix)]);
    if (!state.ctx.found) throw notFound('USER_NOT_FOUND', `no user with id ${JSON.stringify(req.userId)}`);
    // the user's slice picks the version (the active one unless its slice table switched the slice)
    const { serving, slice } = sliceModel(req.model === 'ACTIVE' ? routed.routing : null, chosen, state.ctx);
    const model = serving?.model ?? null; // the one model object used to the end of the request
    const request = requestContext(req, serving);
    clock.lap('user-state');

    const { view, slots } = await catalogueView(this.catalogue, model, [...request.include, ...request.exclude]);
    clock.lap('catalogue');

    const keep = requestMask(slots, hidden, request);
    const input = { userId: req.userId, model, view, slots, state };
    const score = () => scoreSlots(this.onnx, this.profile, input);
    const retrieve = (k: number) => retrieveCandidates(this.onnx, this.profile, input, k);
    const { path, ranked } = await rankSlots({ state, slots, score, retrieve }, keep, request.need, this.profile);
    clock.lap('ranking');

    const page = pageWindow(ranked, request);
    const withheld = (id: string) => hidden.ids.has(id);
    const explanations = request.explain
      ? explainPage({ userId: req.userId, model, view, slots, ctx: state.ctx, path, withheld }, page.slots)
      : null;
    const result = recommendationPage(ranked, page, request, slots, explanations, path, serving, slice);
    if (request.explain) clock.lap('explain');
    clock.total();
    return result;
  }

  /**
   * Items nearest to an item by cosine of the active model's embeddings (new items by their tag
   * vector); hidden ones never. From the model's cosine index at ≥ ANN_MIN_ITEMS items (pipeline/similar-ann.ts).
   */
  async similarItems(itemId: string, first: number, after?: string | null): Promise<SimilarItemsPage> {
    const serving = this.store.active();
    const [target] = (await this.repo.hydrate([itemId])).values();
    if (!target) throw notFound('ITEM_NOT_FOUND', `no item with id ${JSON.stringify(itemId)}`);
    if (!serving) throw unavailable('NO_MODEL', 'no model is active: similarItems needs item embeddings (relatedItems works without one)');
    const version = serving.version.id;
    const offset = decodeSimilarCursor(after, version, itemId);
    // One past the page tells whether a next page exists; the list is at most MAX_DEPTH deep.
    const end = Math.min(offset + first, MAX_DEPTH);
    const want = end + (end < MAX_DEPTH ? 1 : 0);
    const view = await this.catalogue.view(serving.model, await this.catalogue.get());
    const hydrate = (ids: string[]) => this.repo.hydrate(ids);
    const nearest = offset < MAX_DEPTH ? await nearestItems(serving.model, view, itemId, want, hydrate) : null;
    if (nearest?.via === 'ann')
      this.profile.count(nearest.k > Math.max(SIMILAR_BASE_K, want + HYDRATE_MARGIN + 1) ? 'similar-ann-widened' : 'similar-ann');
    const items = nearest?.items ?? [];
    const shown = items.slice(offset, end);
    return {
      items: shown.map((item, n) => ({ ...item, cursor: encodeSimilarCursor(version, offset + n + 1, itemId) })),
      hasNextPage: items.length > end,
      hasPreviousPage: offset > 0,
      modelVersionId: version,
    };
  }
}

/** A page of similarItems, each with its cursor. */
export interface SimilarItemsPage {
  items: Array<SimilarItem & { cursor: string }>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  modelVersionId: string;
}
