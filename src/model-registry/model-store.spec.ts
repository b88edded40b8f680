import { GraphChanges } from '../ingestion/graph-changes';
import type { ArtifactCache } from './artifact-cache';
import { attentionKey, ModelArtifacts, releaseArtifacts } from './artifacts';
import { ModelStore, ServingModel } from './model-store';
import type { ModelKind, ModelVersionEntity } from './model-version.entity';
import type { ModelRegistryRepository } from './model-registry.repository';

jest.mock('./artifacts', () => ({ ...jest.requireActual('./artifacts'), releaseArtifacts: jest.fn(async () => undefined) }));

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
