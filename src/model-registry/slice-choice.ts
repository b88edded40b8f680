/**
 * The per-slice serving choice (issue #26, docs/decisions/0033-per-slice-model-choice.md): which registered
 * version serves each user slice, decided from validation figures only (metrics.json `validation_slices`,
 * models/tastegraph_trainer/slices.py). Pure: the registry stores the table, the store loads what it names,
 * the serving stage pipeline/slice-model.ts routes a request by it.
 */
import type { ModelKind, ModelVersionEntity } from './model-version.entity';

/** A slice needs at least this many validation users before any other version may serve it. */
export const SLICE_MIN_USERS = 100;
/** The metric the choice compares (the promotion criterion, per slice). */
export const SLICE_METRIC = 'recall@20';

/**
 * The serving partition: every user is in exactly one of these, tried in order. First the target
 * slice (≤ 5 training rows and ≥ 1 friend: both counts, measured directly by the trainer), else the user's
 * training-rows bucket. Bounds are slices.py's (INTERACTION_BUCKETS, SPARSE_MAX_INTERACTIONS): inclusive
 * upper bounds, the last open. The friend-count buckets (`by_friends`) are not used for routing: they
 * overlap the rows buckets, and the trainer reports no rows × friends cross-table that could decide both.
 */
export const SPARSE_SLICE = { group: 'sparse_with_friends', bucket: '<=5 & friends>=1', maxRows: 5, minFriends: 1 } as const;
export const ROWS_BUCKETS: ReadonlyArray<{ bucket: string; max: number }> = [
  { bucket: '1-5', max: 5 },
  { bucket: '6-20', max: 20 },
  { bucket: '21-50', max: 50 },
  { bucket: '50+', max: Infinity },
];
export const ROWS_GROUP = 'by_interactions';

/** A slice's key in the table and the API: `<group>:<bucket>` as metrics.json names them. */
export const sliceKey = (group: string, bucket: string): string => `${group}:${bucket}`;
export const SERVING_SLICES: readonly string[] = [
  sliceKey(SPARSE_SLICE.group, SPARSE_SLICE.bucket),
  ...ROWS_BUCKETS.map((b) => sliceKey(ROWS_GROUP, b.bucket)),
];

/** The slice of a user with `rows` interactions and `friends` friends (the counts serving reads). */
export function userSlice(rows: number, friends: number): string {
  if (rows <= SPARSE_SLICE.maxRows && friends >= SPARSE_SLICE.minFriends) return SERVING_SLICES[0];
  const b = ROWS_BUCKETS.find((x) => rows <= x.max) ?? ROWS_BUCKETS[ROWS_BUCKETS.length - 1];
  return sliceKey(ROWS_GROUP, b.bucket);
}

/** Why a slice serves what it serves. */
export type SliceReason = 'PAYS' | 'WITHIN_INTERVALS' | 'TOO_FEW_USERS' | 'NO_FIGURES' | 'NO_CANDIDATE';

/** One row of the table: the version serving a slice while `activeVersionId` is active. */
export interface SliceChoice {
  activeVersionId: string;
  slice: string;
  versionId: string;
  kind: ModelKind;
  reason: SliceReason;
  /** validation users in the slice (the active version's figures) */
  users: number;
  activeRecall: number | null;
  activeHalfWidth: number | null;
  /** the best other version's figures on the slice (null: no comparable candidate had figures) */
  candidateVersionId: string | null;
  candidateRecall: number | null;
  candidateHalfWidth: number | null;
}

/** A slice's validation figures from a version's metrics. */
export interface SliceFigures {
  users: number;
  recall: number;
  halfWidth: number;
}

/** The version's validation figures on `slice` (`group:bucket`); null when it has none (older runs, empty slice). */
export function sliceFigures(v: Pick<ModelVersionEntity, 'metrics'>, slice: string): SliceFigures | null {
  const at = slice.indexOf(':');
  const all = (v.metrics?.validation_slices ?? null) as Record<string, Record<string, Record<string, unknown>>> | null;
  const entry = all?.[slice.slice(0, at)]?.[slice.slice(at + 1)];
  const users = entry?.users;
  const recall = entry?.[SLICE_METRIC];
  const ci = entry?.[`${SLICE_METRIC}_ci`];
  if (typeof users !== 'number' || typeof recall !== 'number' || !Array.isArray(ci) || ci.length !== 2) return null;
  const [lo, hi] = ci as unknown[];
  if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return { users, recall, halfWidth: (hi - lo) / 2 };
}

/**
 * Whether `candidate` was measured on the same validation users as `active`: the same dataset name and
 * snapshot counts (when both recorded them) and the same number of validation users in every serving
 * slice. Two runs on different data (another id prefix, a graph that has grown) never compare.
 */
export function sameValidation(active: Pick<ModelVersionEntity, 'metrics' | 'snapshotStats'>, candidate: typeof active): boolean {
  if ((active.metrics?.dataset ?? null) !== (candidate.metrics?.dataset ?? null)) return false;
  const [a, c] = [active.snapshotStats, candidate.snapshotStats];
  if (a && c && (Object.keys(a).length !== Object.keys(c).length || Object.entries(a).some(([k, n]) => c[k] !== n))) return false;
  let measured = 0;
  for (const s of SERVING_SLICES) {
    const [fa, fc] = [sliceFigures(active, s), sliceFigures(candidate, s)];
    if ((fa?.users ?? 0) !== (fc?.users ?? 0)) return false;
    if (fa) measured++;
  }
  return measured > 0;
}

/**
 * The candidates: per other kind, the newest registered version measured on the same validation users
 * (every registered version is a run that succeeded: a failed run never registers). `versions` in any order.
 */
export function sliceCandidates(active: ModelVersionEntity, versions: ModelVersionEntity[]): ModelVersionEntity[] {
  const newest = new Map<ModelKind, ModelVersionEntity>();
  for (const v of versions) {
    if (v.id === active.id || v.kind === active.kind || !sameValidation(active, v)) continue;
    const held = newest.get(v.kind);
    if (!held || v.createdAt.getTime() > held.createdAt.getTime()) newest.set(v.kind, v);
  }
  return [...newest.values()];
}

/**
 * The table for `active`: per serving slice, a candidate replaces the active version only when its validation
 * Recall@20 beats the active's by more than both bootstrap half-widths (c − a > hw_a + hw_c) and the slice has
 * ≥ SLICE_MIN_USERS validation users; of several that pay, the highest Recall@20. Otherwise the active version
 * (the row then shows the best candidate's figures, for operators).
 */
export function chooseSliceModels(active: ModelVersionEntity, candidates: ModelVersionEntity[]): SliceChoice[] {
  return SERVING_SLICES.map((slice) => {
    const a = sliceFigures(active, slice);
    const scored = candidates
      .map((v) => ({ v, f: sliceFigures(v, slice) }))
      .filter((x): x is { v: ModelVersionEntity; f: SliceFigures } => x.f !== null)
      .sort((x, y) => y.f.recall - x.f.recall || x.v.id.localeCompare(y.v.id));
    const best = scored[0] ?? null;
    const row: SliceChoice = {
      activeVersionId: active.id,
      slice,
      versionId: active.id,
      kind: active.kind,
      reason: 'NO_CANDIDATE',
      users: a?.users ?? 0,
      activeRecall: a?.recall ?? null,
      activeHalfWidth: a?.halfWidth ?? null,
      candidateVersionId: best?.v.id ?? null,
      candidateRecall: best?.f.recall ?? null,
      candidateHalfWidth: best?.f.halfWidth ?? null,
    };
    if (!a) return { ...row, reason: 'NO_FIGURES' };
    if (!best) return row;
    if (a.users < SLICE_MIN_USERS) return { ...row, reason: 'TOO_FEW_USERS' };
    // the best of the candidates that pay (a lower one with a narrower interval may pay where the best does not)
    const pays = scored.find((x) => x.f.recall - a.recall > a.halfWidth + x.f.halfWidth);
    if (!pays) return { ...row, reason: 'WITHIN_INTERVALS' };
    const paid = { candidateVersionId: pays.v.id, candidateRecall: pays.f.recall, candidateHalfWidth: pays.f.halfWidth };
    return { ...row, ...paid, versionId: pays.v.id, kind: pays.v.kind, reason: 'PAYS' };
  });
}

/** The versions other than the active one that a table makes serve (what a store must load). */
export const switchedVersions = (table: SliceChoice[]): string[] =>
  [...new Set(table.filter((r) => r.versionId !== r.activeVersionId).map((r) => r.versionId))].sort();
