import { ModelKind, ModelVersionEntity } from './model-version.entity';
import {
  chooseSliceModels,
  SERVING_SLICES,
  SLICE_MIN_USERS,
  sliceCandidates,
  sliceFigures,
  switchedVersions,
  userSlice,
} from './slice-choice';

type Fig = { users: number; recall: number; ci: [number, number] };
const SPARSE = 'sparse_with_friends:<=5 & friends>=1';

/** A version whose validation_slices hold `figs` by slice key (the rest of the serving slices: `base`). */
function version(id: string, kind: ModelKind, figs: Record<string, Fig>, opts: { createdAt?: number; dataset?: string; base?: Fig } = {}) {
  const slices: Record<string, Record<string, unknown>> = {};
  for (const key of SERVING_SLICES) {
    const f = figs[key] ?? opts.base ?? { users: 150, recall: 0.2, ci: [0.18, 0.22] };
    const [group, bucket] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    (slices[group] ??= {})[bucket] = {
      users: f.users,
      'recall@20': f.recall,
      'recall@20_ci': f.ci,
      'ndcg@20': 0.1,
      'ndcg@20_ci': [0.09, 0.11],
    };
  }
  return {
    id,
    kind,
    metrics: { dataset: opts.dataset ?? 'snapshot', validation: { 'recall@20': 0.2 }, validation_slices: slices },
    snapshotStats: null,
    createdAt: new Date(opts.createdAt ?? 0),
  } as unknown as ModelVersionEntity;
}

describe('userSlice (the serving partition: sparse users with friends first, then training-row buckets as slices.py bounds them)', () => {
  it.each([
    [0, 0, 'by_interactions:1-5'],
    [5, 0, 'by_interactions:1-5'],
    [5, 1, SPARSE],
    [1, 30, SPARSE],
    [6, 3, 'by_interactions:6-20'],
    [20, 0, 'by_interactions:6-20'],
    [21, 0, 'by_interactions:21-50'],
    [50, 9, 'by_interactions:21-50'],
    [51, 0, 'by_interactions:50+'],
    [5000, 500, 'by_interactions:50+'],
  ])('%i rows, %i friends → %s', (rows, friends, slice) => expect(userSlice(rows, friends)).toBe(slice));
});

describe('sliceFigures', () => {
  it('reads users, Recall@20 and the half-width of its interval; null for a slice without figures', () => {
    const v = version('a', 'LIGHTGCN', { 'by_interactions:6-20': { users: 120, recall: 0.3, ci: [0.26, 0.34] } });
    expect(sliceFigures(v, 'by_interactions:6-20')).toEqual({ users: 120, recall: 0.3, halfWidth: expect.closeTo(0.04, 10) });
    expect(sliceFigures(v, 'by_friends:0')).toBeNull();
    expect(sliceFigures({ metrics: null }, SPARSE)).toBeNull();
  });
});

describe('chooseSliceModels (validation only)', () => {
  const slice = 'by_interactions:6-20';
  const active = version('act', 'SOCIALGCN', { [slice]: { users: 200, recall: 0.2, ci: [0.18, 0.22] } });

  it('switches a slice where the candidate beats the active by more than both half-widths on ≥ 100 users', () => {
    // 0.26 − 0.20 = 0.06 > 0.02 + 0.03
    const cand = version('cand', 'LIGHTGCN', { [slice]: { users: 200, recall: 0.26, ci: [0.23, 0.29] } });
    const table = chooseSliceModels(active, [cand]);
    expect(table.map((r) => r.slice)).toEqual(SERVING_SLICES);
    expect(table.find((r) => r.slice === slice)).toMatchObject({
      activeVersionId: 'act',
      versionId: 'cand',
      kind: 'LIGHTGCN',
      reason: 'PAYS',
      users: 200,
      activeRecall: 0.2,
      candidateVersionId: 'cand',
      candidateRecall: 0.26,
    });
    // every other slice: equal figures, the active version
    expect(table.filter((r) => r.slice !== slice).map((r) => [r.versionId, r.reason])).toEqual(
      Array(SERVING_SLICES.length - 1).fill(['act', 'WITHIN_INTERVALS']),
    );
    expect(switchedVersions(table)).toEqual(['cand']);
  });

  it('keeps the active version when the gain is within the intervals (better, but not beyond both half-widths)', () => {
    // 0.24 − 0.20 = 0.04 ≤ 0.02 + 0.03
    const cand = version('cand', 'LIGHTGCN', { [slice]: { users: 200, recall: 0.24, ci: [0.21, 0.27] } });
    const row = chooseSliceModels(active, [cand]).find((r) => r.slice === slice)!;
    expect(row).toMatchObject({ versionId: 'act', kind: 'SOCIALGCN', reason: 'WITHIN_INTERVALS', candidateRecall: 0.24 });
  });

  it(`keeps the active version on a slice with fewer than ${SLICE_MIN_USERS} validation users, however large the gain`, () => {
    const small = { [slice]: { users: SLICE_MIN_USERS - 1, recall: 0.2, ci: [0.19, 0.21] as [number, number] } };
    const a = version('act', 'SOCIALGCN', small);
    const cand = version('cand', 'LIGHTGCN', { [slice]: { users: SLICE_MIN_USERS - 1, recall: 0.9, ci: [0.89, 0.91] } });
    const row = chooseSliceModels(a, [cand]).find((r) => r.slice === slice)!;
    expect(row).toMatchObject({ versionId: 'act', reason: 'TOO_FEW_USERS', users: SLICE_MIN_USERS - 1 });
    // exactly the minimum is enough
    const at = version('act', 'SOCIALGCN', { [slice]: { users: SLICE_MIN_USERS, recall: 0.2, ci: [0.19, 0.21] } });
    const cand2 = version('cand', 'LIGHTGCN', { [slice]: { users: SLICE_MIN_USERS, recall: 0.9, ci: [0.89, 0.91] } });
    expect(chooseSliceModels(at, [cand2]).find((r) => r.slice === slice)!.reason).toBe('PAYS');
  });

  it('of several candidates, the highest Recall@20 among those that pay; none: NO_CANDIDATE; no figures: NO_FIGURES', () => {
    // best by recall does not pay (wide interval), the second does
    const wide = version('wide', 'NGCF', { [slice]: { users: 200, recall: 0.3, ci: [0.1, 0.5] } });
    const narrow = version('narrow', 'LIGHTGCN', { [slice]: { users: 200, recall: 0.27, ci: [0.26, 0.28] } });
    expect(chooseSliceModels(active, [wide, narrow]).find((r) => r.slice === slice)).toMatchObject({ versionId: 'narrow', reason: 'PAYS' });
    expect(chooseSliceModels(active, []).every((r) => r.versionId === 'act' && r.reason === 'NO_CANDIDATE')).toBe(true);
    const bare = { ...active, metrics: { dataset: 'snapshot' } } as unknown as ModelVersionEntity;
    expect(chooseSliceModels(bare, [narrow]).every((r) => r.reason === 'NO_FIGURES' && r.versionId === 'act')).toBe(true);
  });
});

describe('sliceCandidates (the newest version of each other kind measured on the same validation users)', () => {
  const active = version('act', 'SOCIALGCN', {});
  it('takes the newest per kind, never the active kind, and only versions on the same data', () => {
    const oldL = version('oldL', 'LIGHTGCN', {}, { createdAt: 1 });
    const newL = version('newL', 'LIGHTGCN', {}, { createdAt: 5 });
    const otherData = version('gowalla', 'NGCF', {}, { createdAt: 9, dataset: 'gowalla' });
    const otherSplit = version('grown', 'GAT', { [SPARSE]: { users: 151, recall: 0.2, ci: [0.18, 0.22] } }, { createdAt: 9 });
    const sameKind = version('oldS', 'SOCIALGCN', {}, { createdAt: 9 });
    const ids = sliceCandidates(active, [oldL, newL, otherData, otherSplit, sameKind, active]).map((v) => v.id);
    expect(ids).toEqual(['newL']);
  });

  it('differing snapshot counts (another prefix, a grown graph) never compare', () => {
    const withStats = (v: ModelVersionEntity, users: number) => ({ ...v, snapshotStats: { users, items: 10 } }) as ModelVersionEntity;
    const a = withStats(active, 48);
    expect(sliceCandidates(a, [withStats(version('same', 'LIGHTGCN', {}), 48)]).map((v) => v.id)).toEqual(['same']);
    expect(sliceCandidates(a, [withStats(version('more', 'LIGHTGCN', {}), 49)])).toEqual([]);
  });
});
