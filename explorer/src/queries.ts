/**
 * Every GraphQL document the explorer sends, in one place: when the schema changes, this file (and the
 * types beside each document) is what changes. Operation names show up in the API's logs and metrics.
 */

/** Sign-in: an admin-only query, so a token that is not the admin token is refused before it is kept. */
export const ADMIN_CHECK = `query ExplorerAdminCheck { trainingRuns(first: 1) { edges { node { id } } } }`;

/** A run's or a version's metrics: validation and test by name, and everything the trainer reported in `all`. */
const METRICS_FIELDS = `loss validation { name value } test { name value } all`;
export interface MetricValue {
  name: string;
  value: number;
}
export interface TrainingMetrics {
  loss: number | null;
  validation: MetricValue[];
  test: MetricValue[];
  all: Record<string, unknown>;
}
/**
 * One metric by its path: `validation.recall@20` and `test.ndcg@20` from the typed lists, anything else
 * (`refit.test_selected.recall@20`, `best_epoch`) from what the trainer reported (`all`).
 */
export function metric(m: TrainingMetrics | null | undefined, path: string): number | null {
  if (!m) return null;
  const [head, ...rest] = path.split('.');
  if ((head === 'validation' || head === 'test') && rest.length === 1) return m[head].find((v) => v.name === rest[0])?.value ?? null;
  let v: unknown = m.all;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' ? v : null;
}

export const MODEL_VERSIONS = `query ExplorerModelVersions($first: Int!) {
  activeModel { id }
  modelVersions(first: $first) {
    edges {
      node {
        id kind status runId metrics { ${METRICS_FIELDS} } createdAt activatedAt
        trainingCurve { epoch loss phase validation }
      }
    }
  }
}`;
export interface CurvePoint {
  epoch: number;
  loss: number | null;
  phase: 'SELECT' | 'REFIT' | null;
  validation: Record<string, number> | null;
}
export interface ModelVersion {
  id: string;
  kind: string;
  status: 'CANDIDATE' | 'ACTIVE' | 'RETIRED';
  runId: string | null;
  metrics: TrainingMetrics | null;
  createdAt: string;
  activatedAt: string | null;
  trainingCurve: CurvePoint[];
}

export const PROMOTE = `mutation ExplorerPromote($id: ID!) { promoteModelVersion(id: $id) { id status } }`;
export const ROLLBACK = `mutation ExplorerRollback { rollbackModel { id status } }`;

const RUN_FIELDS = `id model status stage progress currentEpoch epochs metrics { ${METRICS_FIELDS} } failureReason modelVersionId promoted createdAt startedAt finishedAt`;
export const TRAINING_RUNS = `query ExplorerTrainingRuns($first: Int!) { trainingRuns(first: $first) { edges { node { ${RUN_FIELDS} } } } }`;
export const TRAINING_RUN = `query ExplorerTrainingRun($id: ID!) {
  trainingRun(id: $id) { ${RUN_FIELDS} params timings { overlap export train index validateRegister promote all } logTail }
}`;
export type TrainingStage = 'EXPORT' | 'TRAIN' | 'INDEX' | 'VALIDATE' | 'REGISTER' | 'DONE';
export interface TrainingTimings {
  overlap: number | null;
  export: number | null;
  train: number | null;
  index: number | null;
  validateRegister: number | null;
  promote: number | null;
  all: Record<string, unknown>;
}
export interface TrainingRun {
  id: string;
  model: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  stage: TrainingStage | null;
  progress: number;
  currentEpoch: number | null;
  epochs: number | null;
  metrics: TrainingMetrics | null;
  failureReason: string | null;
  modelVersionId: string | null;
  promoted: boolean | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  params?: Record<string, unknown> | null;
  timings?: TrainingTimings | null;
  logTail?: string[];
}
export const START_RETRAINING = `mutation ExplorerStartRetraining($model: ModelKind!, $params: TrainingParamsInput) {
  startRetraining(model: $model, params: $params) { id status }
}`;
export const CANCEL_RETRAINING = `mutation ExplorerCancelRetraining($id: ID!) { cancelRetraining(runId: $id) { id status } }`;

export const TRAINING_PROGRESS = `subscription ExplorerTrainingProgress($id: ID!) {
  trainingProgress(runId: $id) { runId status stage progress epoch epochs loss validation metrics modelVersionId promoted failureReason at }
}`;
export interface ProgressStep {
  runId: string;
  status: TrainingRun['status'];
  stage: TrainingStage | null;
  progress: number;
  epoch: number | null;
  epochs: number | null;
  loss: number | null;
  validation: Record<string, number> | null;
  metrics: Record<string, unknown> | null;
  modelVersionId: string | null;
  promoted: boolean | null;
  failureReason: string | null;
  at: string;
}

export const USER = `query ExplorerUser($id: ID!, $items: Int!) {
  user(id: $id) {
    id name
    interactions(first: $items) { totalCount edges { node { type weight count item { id title } } } }
  }
}`;
export interface User {
  id: string;
  name: string | null;
  interactions: {
    totalCount: number;
    edges: Array<{ node: { type: string; weight: number; count: number; item: { id: string; title: string | null } } }>;
  };
}
export const FRIEND_ATTENTION = `query ExplorerFriendAttention($id: ID!, $first: Int!) {
  friendAttention(userId: $id, first: $first) { id user { id name } attention attentionBack kept keptBack modelVersionId }
}`;
export interface FriendAttention {
  id: string;
  user: { id: string; name: string | null };
  attention: number | null;
  attentionBack: number | null;
  kept: boolean | null;
  keptBack: boolean | null;
  modelVersionId: string | null;
}

export const RECOMMENDATIONS = `query ExplorerRecommendations($id: ID!, $first: Int!) {
  recommendations(userId: $id, first: $first, explain: true) {
    path modelVersionId modelKind
    edges {
      node {
        id rank score isNew
        item { id title }
        explanation { sentence friends { id user { id name } attention } basedOn { id item { id title } similarity } }
      }
    }
  }
}`;
/** An item as the result types link to it. */
export interface ItemRef {
  id: string;
  title: string | null;
}
export interface Recommendation {
  /** The result's own opaque id (the item is `item`). */
  id: string;
  rank: number;
  item: ItemRef;
  score: number;
  isNew: boolean;
  explanation: {
    sentence: string;
    friends: Array<{ id: string; user: { id: string; name: string | null }; attention: number | null }>;
    basedOn: Array<{ id: string; item: ItemRef; similarity: number }>;
  } | null;
}
export interface Recommendations {
  path: string;
  modelVersionId: string | null;
  modelKind: string | null;
  edges: Array<{ node: Recommendation }>;
}
/** The item a recommendation is about (Recommendation.id is the result's own id, not the item's). */
export const recommendedItemId = (r: Recommendation): string => r.item.id;

export const RECORD_INTERACTION = `mutation ExplorerRecordInteraction($events: [InteractionInput!]!) {
  recordInteractions(events: $events) { events edgesCreated edgesUpdated duplicates }
}`;

export const ITEM = `query ExplorerItem($id: ID!) { item(id: $id) { id title tags hidden } }`;
export interface Item {
  id: string;
  title: string | null;
  tags: string[];
  hidden: boolean;
}
// Asked apart from the item: without an active model similarItems fails, and related items still show.
export const SIMILAR_ITEMS = `query ExplorerSimilarItems($id: ID!, $first: Int!) {
  similarItems(itemId: $id, first: $first) { edges { node { id item { id title tags } similarity isNew } } }
}`;
export type SimilarItem = { id: string; item: ItemRef & { tags: string[] }; similarity: number; isNew: boolean };
export const RELATED_ITEMS = `query ExplorerRelatedItems($id: ID!, $first: Int!) {
  relatedItems(itemId: $id, first: $first) { id item { id title } visits weight }
}`;
export type RelatedItem = { id: string; item: ItemRef; visits: number; weight: number };

/** A Relay connection's nodes, in order. */
export const nodes = <T>(c: { edges: Array<{ node: T }> } | null | undefined): T[] => c?.edges.map((e) => e.node) ?? [];
