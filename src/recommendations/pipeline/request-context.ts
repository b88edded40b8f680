/**
 * Serving stage "context" (profiled as `model`): the model the request uses to its end, and the
 * request's own terms (tag filters, excluded ids, the page its cursor points at).
 */
import { unavailable } from '../../common/errors/domain-error';
import { ModelKind } from '../../model-registry/model-version.entity';
import { ModelStore, ServingModel } from '../../model-registry/model-store';
import { decodeRecCursor, queryHash } from '../cursor';
import { MAX_DEPTH } from './ranking';

export type ModelChoice = 'ACTIVE' | ModelKind;

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

/** One request's terms, read once. */
export interface RequestContext {
  userId: string;
  explain: boolean;
  /** what cursors are tied to: the model version's id, or 'popularity' without a model */
  version: string;
  /** the query's hash: a cursor only pages the query it came from */
  query: string;
  /** tag filters, deduplicated and sorted */
  include: string[];
  exclude: string[];
  excludeIds: Set<string>;
  /** the page: ranks offset + 1 .. end (end capped at MAX_DEPTH) */
  offset: number;
  end: number;
  /** ranked slots needed: one past the page, to tell whether a next page exists */
  need: number;
}

/** The model for the whole request (a swap after this does not change it); null: none active, popularity. */
export async function chooseModel(store: Pick<ModelStore, 'active' | 'ofKind'>, choice: ModelChoice): Promise<ServingModel | null> {
  if (choice === 'ACTIVE') return store.active();
  const m = await store.ofKind(choice);
  if (!m) throw unavailable('NO_MODEL', `no ${choice} model version has been trained and activated`);
  return m;
}

/** The request's terms against its model; a cursor of another query or model version throws (cursor.ts). */
export function requestContext(req: RecommendRequest, serving: ServingModel | null): RequestContext {
  const version = serving?.version.id ?? 'popularity';
  const include = [...new Set(req.filter?.includeTags ?? [])].sort();
  const exclude = [...new Set(req.filter?.excludeTags ?? [])].sort();
  const excludeIds = new Set(req.filter?.excludeItemIds ?? []);
  const query = queryHash([req.userId, req.model, include, exclude, [...excludeIds].sort()]);
  const offset = decodeRecCursor(req.after, version, query);
  const end = Math.min(offset + req.first, MAX_DEPTH);
  return { userId: req.userId, explain: req.explain, version, query, include, exclude, excludeIds, offset, end, need: end + 1 };
}
