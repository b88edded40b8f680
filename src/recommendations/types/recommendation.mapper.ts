import { pageInfoOf } from '../../common/pagination/page-info.type';
import { resultId } from '../../common/result-id';
import { ModelKindEnum } from '../../model-registry/types/model-version.type';
import type { Explanation, RecommendationPage, SimilarItem } from '../recommendations.service';
import type { SimilarItemsPage } from '../recommendations.service';
import {
  ExplanationType,
  RecommendationConnectionType,
  RecommendationType,
  ServingPathEnum,
  SimilarItemConnectionType,
  SimilarItemType,
} from './recommendation.type';

/**
 * Serving's pages in the schema's shape: each result gets its opaque id (common/result-id.ts) and an
 * `item` reference carrying what serving already read (id, title, tags; the rest is loaded only when
 * selected, ingestion/node-details.loader.ts).
 */
export function recommendationConnection(
  page: RecommendationPage,
  req: { userId: string; explain: boolean; hadCursor: boolean },
): RecommendationConnectionType {
  const version = page.modelVersionId ?? 'popularity';
  const edges = page.items.map(({ cursor, ...r }) => {
    const id = resultId('Recommendation', [req.userId, version, page.query, req.explain, r.id]);
    const node: RecommendationType = {
      id,
      item: { id: r.id, title: r.title, tags: r.tags, hidden: false },
      score: r.score,
      rank: r.rank,
      isNew: r.isNew,
      explanation: r.explanation ? explanation(id, r.explanation) : null,
    };
    return { cursor, node };
  });
  return {
    edges,
    pageInfo: pageInfoOf(edges, page.hasNextPage, req.hadCursor),
    path: page.path as ServingPathEnum,
    modelVersionId: page.modelVersionId,
    modelKind: page.modelKind as ModelKindEnum | null,
    modelSlice: page.modelSlice,
  };
}

function explanation(recommendationId: string, e: Explanation): ExplanationType {
  return {
    sentence: e.sentence,
    friends: e.friends.map((f) => ({
      id: resultId('ExplanationFriend', [recommendationId, f.id]),
      user: { id: f.id, name: f.name },
      attention: f.attention,
    })),
    basedOn: e.basedOn.map((b) => ({
      id: resultId('ExplanationItem', [recommendationId, b.id]),
      // the user's own items, never hidden ones (serving leaves them out); tags and the rest are read when selected
      item: { id: b.id, title: b.title, hidden: false },
      similarity: b.similarity,
    })),
  };
}

export function similarItemConnection(seed: string, page: SimilarItemsPage): SimilarItemConnectionType {
  const edges = page.items.map(({ cursor, ...s }) => ({ cursor, node: similarItem(seed, page.modelVersionId, s) }));
  return { edges, pageInfo: pageInfoOf(edges, page.hasNextPage, page.hasPreviousPage), modelVersionId: page.modelVersionId };
}

function similarItem(seed: string, version: string, s: SimilarItem): SimilarItemType {
  return {
    id: resultId('SimilarItem', [seed, version, s.id]),
    item: { id: s.id, title: s.title, tags: s.tags, hidden: false },
    similarity: s.similarity,
    isNew: s.isNew,
  };
}
