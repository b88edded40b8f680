/**
 * Serving's last step: the requested window of the ranking as recommendations, each with its rank
 * and cursor (cursor.ts), and whether a next page exists.
 */
import { ModelKind } from '../../model-registry/model-version.entity';
import { ServingModel } from '../../model-registry/model-store';
import { Slots } from '../catalogue-build';
import { encodeRecCursor } from '../cursor';
import { ServingPath } from '../user-state.service';
import { Explanation } from './explanations';
import { MAX_DEPTH, Ranked } from './ranking';
import { RequestContext } from './request-context';

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
  /** the user's slice when the active version's slice table routed the request (pipeline/slice-model.ts); else null */
  modelSlice: string | null;
  /** the query's hash (user, filter, model choice): what the page's results are unique to, with the version */
  query: string;
}

type PageWindow = Pick<RequestContext, 'offset' | 'end'>;

/** The ranked slots of the requested page (ranks offset + 1 .. end). */
export function pageWindow(ranked: Ranked, req: PageWindow): Ranked {
  return { slots: ranked.slots.slice(req.offset, req.end), scores: ranked.scores.slice(req.offset, req.end) };
}

/** The page's recommendations; `explanations` by page position, null when not asked for. */
export function recommendationPage(
  ranked: Ranked,
  page: Ranked,
  req: PageWindow & Pick<RequestContext, 'version' | 'query'>,
  slots: Pick<Slots, 'ids' | 'titles' | 'tags' | 'isNew'>,
  explanations: Explanation[] | null,
  path: ServingPath,
  serving: ServingModel | null,
  slice: string | null = null,
): RecommendationPage {
  const items: Recommendation[] = page.slots.map((k, n) => {
    const rank = req.offset + n + 1;
    return {
      id: slots.ids[k],
      title: slots.titles[k],
      tags: slots.tags[k],
      score: page.scores[n],
      rank,
      isNew: !!slots.isNew[k],
      cursor: encodeRecCursor(req.version, rank, req.query),
      explanation: explanations ? explanations[n] : null,
    };
  });
  return {
    items,
    hasNextPage: ranked.slots.length > req.end && req.end < MAX_DEPTH,
    endCursor: items.length ? items[items.length - 1].cursor : null,
    path,
    modelVersionId: serving?.version.id ?? null,
    modelKind: serving?.version.kind ?? null,
    modelSlice: slice,
    query: req.query,
  };
}
