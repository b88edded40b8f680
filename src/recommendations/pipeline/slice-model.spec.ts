import { ServingModel, SliceRouting } from '../../model-registry/model-store';
import { SliceChoice } from '../../model-registry/slice-choice';
import { sliceModel } from './slice-model';

const served = (id: string, kind = 'SOCIALGCN') => ({ version: { id, kind }, model: {} }) as unknown as ServingModel;
const active = served('act');
const other = served('other', 'LIGHTGCN');
const row = (slice: string, versionId: string): SliceChoice =>
  ({ activeVersionId: 'act', slice, versionId, kind: versionId === 'act' ? 'SOCIALGCN' : 'LIGHTGCN' }) as SliceChoice;
const table = [row('by_interactions:6-20', 'other'), row('by_interactions:1-5', 'act')];
const routing = (enabled = true, activeVersionId = 'act'): SliceRouting => ({
  activeVersionId,
  table,
  enabled,
  models: enabled ? new Map([['by_interactions:6-20', other]]) : new Map(),
});
const ctx = (items: number, friends: number) => ({
  items: Array.from({ length: items }, (_, k) => ({ id: `i${k}`, title: null, weight: 1, lastTs: null })),
  friends: Array.from({ length: friends }, (_, k) => ({ id: `f${k}`, name: null, items: [] })),
});

describe('sliceModel (serving stage: the user slice picks the version)', () => {
  it('a user in a switched slice is served by the version the table names; others by the active one', () => {
    expect(sliceModel(routing(), active, ctx(10, 0))).toEqual({ serving: other, slice: 'by_interactions:6-20' });
    expect(sliceModel(routing(), active, ctx(3, 0))).toEqual({ serving: active, slice: 'by_interactions:1-5' });
    expect(sliceModel(routing(), active, ctx(80, 4))).toEqual({ serving: active, slice: 'by_interactions:50+' });
  });

  it('no routing: switched off, a named kind (no routing passed), another version than the table’s, or no model', () => {
    expect(sliceModel(routing(false), active, ctx(10, 0))).toEqual({ serving: active, slice: null });
    expect(sliceModel(null, other, ctx(10, 0))).toEqual({ serving: other, slice: null });
    expect(sliceModel(routing(true, 'older'), active, ctx(10, 0))).toEqual({ serving: active, slice: null });
    expect(sliceModel(routing(), null, ctx(10, 0))).toEqual({ serving: null, slice: null });
  });
});
