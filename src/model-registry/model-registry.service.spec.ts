import { DomainError } from '../common/errors/domain-error';
import { attentionKey, ModelArtifacts } from './artifacts';
import { AttentionRepository } from './attention.repository';
import { ModelRegistryRepository } from './model-registry.repository';
import { ModelRegistryService } from './model-registry.service';
import { ModelVersionEntity } from './model-version.entity';
import { ModelStore, ServingModel } from './model-store';
import { PairAttention } from './pair-attention';

const version = (id: string) => ({ id, kind: 'SOCIALGCN', status: 'RETIRED', checksums: {} }) as unknown as ModelVersionEntity;
const model = (a: number): ModelArtifacts =>
  ({
    attention: new Map([[attentionKey('u1', 'u2'), { attention: a, kept: true }]]),
    scorer: { release: async () => undefined },
    encoder: { release: async () => undefined },
  }) as unknown as ModelArtifacts;

describe('ModelRegistryService.promote when the registry refuses the activation', () => {
  it('puts the serving version attention back on FRIEND edges and keeps serving it', async () => {
    const serving: ServingModel = { version: version('v1'), model: model(0.25) };
    const written: Array<{ version: string; rows: PairAttention[] }> = [];
    const swapped: string[] = [];
    const discarded: unknown[] = [];
    const routing = { activeVersionId: 'v2', table: [], enabled: true, models: new Map() };
    const store = {
      active: () => serving,
      load: async (v: ModelVersionEntity) => ({ version: v, model: model(0.75) }),
      sliceRouting: async () => routing,
      discard: async (r: unknown) => discarded.push(r),
      swap: (next: ServingModel) => swapped.push(next.version.id),
    } as unknown as ModelStore;
    const attention = {
      replace: async (rows: PairAttention[], v: string) => {
        written.push({ version: v, rows });
        return rows.length;
      },
    } as unknown as AttentionRepository;
    const down = new DomainError('UNAVAILABLE', 'REGISTRY_UNAVAILABLE', 'down');
    const repo = {
      get: async (id: string) => version(id),
      list: async () => [version('v1')],
      activate: async () => {
        throw down;
      },
    } as unknown as ModelRegistryRepository;
    const service = new ModelRegistryService(repo, store, attention);

    await expect(service.promote('v2')).rejects.toBe(down);
    // first the candidate's attention (0.75), then, after the refusal, the serving version's (0.25) again
    expect(written.map((w) => [w.version, w.rows.map((r) => r.ab)])).toEqual([
      ['v2', [0.75]],
      ['v1', [0.25]],
    ]);
    expect(swapped).toEqual([]);
    expect(discarded).toEqual([routing]); // the slice models prepared for v2 are released too
  });
});
