import { releaseArtifacts } from './artifacts';
import { ModelStore, ServingModel } from './model-store';
import type { ModelKind, ModelVersionEntity } from './model-version.entity';
import type { ModelRegistryRepository } from './model-registry.repository';

jest.mock('./artifacts', () => ({ ...jest.requireActual('./artifacts'), releaseArtifacts: jest.fn(async () => undefined) }));

const model = (id: string, kind: ModelKind): ServingModel => ({ version: { id, kind } as ModelVersionEntity, model: { id } as never });

describe('ModelStore.swap', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    (releaseArtifacts as jest.Mock).mockClear();
  });
  afterEach(() => jest.useRealTimers());

  it('releases replaced sessions after the grace period, never ones still serving or held for their kind', () => {
    const store = new ModelStore({} as ModelRegistryRepository);
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
