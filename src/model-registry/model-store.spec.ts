import { GraphChanges } from '../ingestion/graph-changes';
import type { ArtifactCache } from './artifact-cache';
import { attentionKey, ModelArtifacts, releaseArtifacts } from './artifacts';
import { ModelStore, ServingModel } from './model-store';
import type { ModelKind, ModelVersionEntity } from './model-version.entity';
import type { ModelRegistryRepository } from './model-registry.repository';

jest.mock('./artifacts', () => ({
  ...jest.requireActual('./artifacts'),
  releaseArtifacts: jest.fn(async () => undefined),
  loadArtifacts: jest.fn(async (dir: string) => ({ dir })),
}));
jest.mock('./item-indexes', () => ({ buildItemIndexes: jest.fn(async () => undefined) }));

const cache = { prune: async () => [] } as unknown as ArtifactCache;
const model = (id: string, kind: ModelKind): ServingModel => ({ version: { id, kind } as ModelVersionEntity, model: { id } as never });

describe('ModelStore.swap', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    (releaseArtifacts as jest.Mock).mockClear();
  });
  afterEach(() => jest.useRealTimers());

  it('releases replaced sessions after the grace period, never ones still serving or held for their kind', () => {
    const store = new ModelStore({} as ModelRegistryRepository, cache);
    const v1 = model('v1', 'LIGHTGCN');
    const v2 = model('v2', 'SOCIALGCN');
    const v1again = model('v1', 'LIGHTGCN'); // a promotion loads fresh sessions for the same version
    store.swap(v1);
    store.swap(v2); // v1 stays loaded: it is the LIGHTGCN model for model: LIGHTGCN requests
    store.swap(v1again);
    expect(store.active()).toBe(v1again);
    expect(releaseArtifacts).not.toHaveBeenCalled(); // requests in flight may still hold the old objects
    jest.advanceTimersByTime(30_000);
    expect((releaseArtifacts as jest.Mock).mock.calls.map(([m]) => m)).toEqual([v1.model]); // v2 serves SOCIALGCN, v1again serves
  });
});

describe('ModelStore: deleted users', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('masks a deleted user in every model it holds before deleteUser answers (the change feed is synchronous)', () => {
    const changes = new GraphChanges();
    const store = new ModelStore({} as ModelRegistryRepository, cache, undefined, changes);
    const held = (id: string, kind: ModelKind): ServingModel => ({
      version: { id, kind } as ModelVersionEntity,
      model: {
        users: ['gone', 'kept'],
        userIndex: new Map([
          ['gone', 0],
          ['kept', 1],
        ]),
        dim: 1,
        userEmb: Float32Array.from([0.5, 0.7]),
        attention: new Map([[attentionKey('kept', 'gone'), { attention: 1, kept: true }]]),
      } as unknown as ModelArtifacts,
    });
    const light = held('v1', 'LIGHTGCN');
    const social = held('v2', 'SOCIALGCN');
    store.swap(light);
    store.swap(social);
    changes.publish({ kind: 'usersDeleted', userIds: ['gone'] });
    for (const m of [light, social]) {
      expect(m.model.userIndex.has('gone')).toBe(false);
      expect(m.model.users).toEqual(['', 'kept']);
      expect([...m.model.userEmb]).toEqual([0, 0.7].map(Math.fround));
      expect(m.model.attention.size).toBe(0);
    }
  });
});

describe('ModelStore: slice routing (only the versions a slice table switches to are loaded)', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    (releaseArtifacts as jest.Mock).mockClear();
  });
  afterEach(() => jest.useRealTimers());

  const row = (slice: string, versionId: string) => ({ activeVersionId: 'act', slice, versionId }) as never;
  const setup = (enabled: boolean) => {
    const loaded: string[] = [];
    const registry = { get: async (id: string) => ({ id, kind: 'LIGHTGCN' }) } as unknown as ModelRegistryRepository;
    const store = new ModelStore(registry, cache, undefined, undefined, { ANN_MIN_ITEMS: Infinity, SLICE_MODEL_CHOICE: enabled });
    jest.spyOn(store, 'load').mockImplementation(async (v) => {
      loaded.push(v.id);
      return model(v.id, v.kind);
    });
    return { store, loaded };
  };

  it('loads each switched version once, nothing for slices the active keeps, and releases it when a new table drops it', async () => {
    const { store, loaded } = setup(true);
    const act = model('act', 'SOCIALGCN');
    const table = [row('by_interactions:1-5', 'act'), row('by_interactions:6-20', 'other'), row('by_interactions:21-50', 'other')];
    const routing = await store.sliceRouting(act, table);
    expect(loaded).toEqual(['other']);
    expect(routing.models.get('by_interactions:6-20')).toBe(routing.models.get('by_interactions:21-50'));
    expect(routing.models.has('by_interactions:1-5')).toBe(false);
    store.swap(act, routing);
    const other = routing.models.get('by_interactions:6-20')!;

    const keep = await store.sliceRouting(act, [row('by_interactions:1-5', 'act')]); // validation no longer pays anywhere
    expect(loaded).toEqual(['other']);
    expect(keep.models.size).toBe(0);
    store.swap(act, keep);
    jest.advanceTimersByTime(30_000);
    expect((releaseArtifacts as jest.Mock).mock.calls.map(([m]) => m)).toEqual([other.model]);
  });

  it('with SLICE_MODEL_CHOICE off loads nothing and routes nothing', async () => {
    const { store, loaded } = setup(false);
    const routing = await store.sliceRouting(model('act', 'SOCIALGCN'), [row('by_interactions:6-20', 'other')]);
    expect(loaded).toEqual([]);
    expect(routing).toMatchObject({ enabled: false, activeVersionId: 'act' });
    expect(routing.models.size).toBe(0);
  });
});

describe('ModelStore.load: work registered with prepareWith runs before the model can serve', () => {
  const version = { id: 'v1', kind: 'LIGHTGCN' } as ModelVersionEntity;
  const resolving = { resolve: async () => ({ dir: '/runs/v1', fetched: [] }), prune: async () => [] } as unknown as ArtifactCache;

  it('each preparer sees the loaded model; one failing is logged and leaves the load standing', async () => {
    const store = new ModelStore({} as ModelRegistryRepository, resolving);
    const seen: unknown[] = [];
    store.prepareWith(async (m) => void seen.push(m));
    store.prepareWith(async () => {
      throw new Error('catalogue unreachable');
    });
    const warn = jest
      .spyOn((store as unknown as { logger: { warn: (m: string) => void } }).logger, 'warn')
      .mockImplementation(() => undefined);
    const loaded = await store.load(version);
    expect(seen).toEqual([loaded.model]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('v1: not prepared before serving (catalogue unreachable)'));
    expect(store.servingModels()).toEqual([]); // loaded, not yet swapped in
    store.swap(loaded);
    expect(store.servingModels()).toEqual([loaded.model]);
  });
});
