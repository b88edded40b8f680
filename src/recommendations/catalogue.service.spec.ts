import { GraphChanges } from '../ingestion/graph-changes';
import { AppConfig } from '../config/config.schema';
import * as build from './catalogue-build';
import { buildCatalogue, catalogueRow, CatalogueReread } from './catalogue-build';
import { ModelArtifacts } from '../model-registry/artifacts';
import { ModelStore } from '../model-registry/model-store';
import { CATALOGUE_FULL_READ_MS, CatalogueService } from './catalogue.service';
import { CatalogueRow, RecommendationsRepository } from './recommendations.repository';

describe('CatalogueReread: a re-read compared with the current read as it streams', () => {
  const row = (id: string, popularity = 1, tags = ['rock']): CatalogueRow => ({ id, title: `T ${id}`, tags, hidden: false, popularity });
  const reread = async (current: CatalogueRow[], next: CatalogueRow[]) => {
    const r = new CatalogueReread((await buildCatalogue(current, 1, 'f')).slots);
    for (const x of next) r.add(x);
    return r.result();
  };
  it('equal rows in the same order are the same items whatever their popularity, and only popularity is kept', async () => {
    expect(await reread([row('a'), row('b')], [row('a'), row('b')])).toEqual({ same: true, popularity: Float64Array.from([1, 1]) });
    expect(await reread([row('a'), row('b')], [row('a'), row('b', 2)])).toEqual({ same: true, popularity: Float64Array.from([1, 2]) });
  });
  it('any changed tag, hidden flag, title, order or length gives the new rows, with the re-read popularity', async () => {
    const base = [row('a'), row('b')];
    for (const next of [
      [row('a', 4), row('b', 1, ['rock', 'live'])],
      [row('a', 4), { ...row('b'), hidden: true }],
      [row('a', 4), { ...row('b'), title: null }],
      [row('b'), row('a', 4)],
      [row('a', 4)],
      [row('a', 4), row('b'), row('c')],
    ]) {
      const r = await reread(base, next);
      expect(r.same).toBe(false);
      expect(r.same === false && r.rows).toEqual(next);
    }
  });
  it("rows equal to a current one keep the current read's strings, past an inserted or deleted item too", async () => {
    const current = [row('a'), row('b'), row('d')];
    const cat = await buildCatalogue(current, 1, 'f');
    const r = new CatalogueReread(cat.slots);
    const next = [row('a', 2), row('c'), row('d', 3)].map((x) => ({ ...x, id: `${x.id}`.slice(0), tags: [...x.tags] }));
    for (const x of next) r.add(x);
    const out = r.result();
    if (out.same) throw new Error('a change was expected');
    expect(out.rows.map((x) => [x.id, x.popularity])).toEqual([
      ['a', 2],
      ['c', 1],
      ['d', 3],
    ]);
    expect(out.rows[0].tags).toBe(cat.slots.tags[0]);
    expect(out.rows[1]).toBe(next[1]);
    expect(out.rows[2].tags).toBe(cat.slots.tags[2]);
  });
});

describe('CatalogueService: rows are re-read only when the fingerprint changes', () => {
  const row = (id: string) => ({ id, title: id, tags: [], hidden: false, popularity: 1 });
  function setup() {
    const repo = { fingerprint: '1/0/5', rows: [row('a')], fullReads: 0 };
    const fake = {
      catalogueFingerprint: async () => repo.fingerprint,
      eachCatalogueRow: async (_prefix: string, start: () => (row: CatalogueRow) => void) => {
        repo.fullReads++;
        const sink = start();
        for (const r of repo.rows) sink({ ...r, tags: [...r.tags] });
      },
    };
    const changes = new GraphChanges();
    const service = new CatalogueService(fake as unknown as RecommendationsRepository, { TRAINING_ID_PREFIX: '' } as AppConfig, changes);
    return { repo, service, changes };
  }

  it('an unchanged fingerprint keeps the catalogue without reading its rows; a changed one reads them', async () => {
    const { repo, service } = setup();
    const first = await service.reload();
    expect(repo.fullReads).toBe(1);
    expect(await service.reload()).toBe(first);
    expect(repo.fullReads).toBe(1);
    repo.fingerprint = '2/0/9';
    repo.rows = [row('a'), row('b')];
    const second = await service.reload();
    expect(repo.fullReads).toBe(2);
    expect(catalogueRow(second, 'b')).toBeDefined();
    expect(second.stamp).toBeGreaterThan(first.stamp);
  });

  it('a re-read where only popularity moved keeps the catalogue and its slots, with the new popularity in place', async () => {
    const { repo, service } = setup();
    repo.rows = [row('a'), row('b')];
    const first = await service.reload();
    const slots = first.slots;
    first.fullReadAt -= CATALOGUE_FULL_READ_MS + 1; // the periodic full read (the fingerprint does not watch popularity)
    repo.rows = [row('a'), { ...row('b'), popularity: 0 }];
    const second = await service.reload();
    expect(second).toBe(first);
    expect(second.slots).toBe(slots);
    expect(second.stamp).toBe(first.stamp);
    expect(second.popularityStamp).toBe(1);
    expect([...second.slots.popularity]).toEqual([1, 0]);
    expect([...second.slots.isNew]).toEqual([0, 1]);
    expect(catalogueRow(second, 'b')!.popularity).toBe(0);
    repo.fingerprint = '2/0/6';
    repo.rows = [row('a'), { ...row('b'), title: 'renamed' }];
    expect((await service.reload()).stamp).toBeGreaterThan(first.stamp); // a title: new slots
  });

  it('reads the rows again after CATALOGUE_FULL_READ_MS even when the fingerprint stayed', async () => {
    const { repo, service } = setup();
    const first = await service.reload();
    first.fullReadAt -= CATALOGUE_FULL_READ_MS + 1;
    expect(await service.reload()).toBe(first); // same rows: same object
    expect(repo.fullReads).toBe(2);
  });

  it('an item written through any API process: the next get waits for a full read (the fingerprint may not move on a title edit)', async () => {
    const { repo, service, changes } = setup();
    await service.get();
    repo.rows = [{ ...row('a'), title: 'renamed' }]; // same fingerprint
    changes.receive({ kind: 'itemsUpserted', itemIds: ['a'] });
    expect(catalogueRow(await service.get(), 'a')!.title).toBe('renamed');
    expect(repo.fullReads).toBe(2);
    expect(catalogueRow(await service.get(), 'a')!.title).toBe('renamed');
    expect(repo.fullReads).toBe(2);
    changes.receive({ kind: 'userEdges', userIds: ['u'] }); // not an item change
    await service.get();
    expect(repo.fullReads).toBe(2);
  });

  it('a change seen before a full read began is in it: no second read (a relay going live while the process starts)', async () => {
    const { repo, service, changes } = setup();
    changes.receive({ kind: 'everything' });
    changes.receive({ kind: 'itemsUpserted', itemIds: ['a'] });
    await service.get();
    await service.get();
    await new Promise((r) => setImmediate(r));
    expect(repo.fullReads).toBe(1);
  });

  it('an item change while a full read is in flight: the next get waits for one more, after it', async () => {
    const { repo, service, changes } = setup();
    const first = service.reload(true);
    changes.receive({ kind: 'itemsUpserted', itemIds: ['a'] });
    repo.rows = [{ ...row('a'), title: 'renamed' }];
    await first;
    expect(catalogueRow(await service.get(), 'a')!.title).toBe('renamed');
    expect(repo.fullReads).toBe(2);
  });

  it('a relay transition after the read: requests go on with it while everything is read again in the background', async () => {
    const { repo, service, changes } = setup();
    const first = await service.get();
    repo.rows = [{ ...row('a'), title: 'renamed' }];
    changes.receive({ kind: 'everything' });
    expect(await service.get()).toBe(first); // not waited for
    await new Promise((r) => setTimeout(r, 10));
    expect(repo.fullReads).toBe(2);
    expect(catalogueRow(await service.get(), 'a')!.title).toBe('renamed');
    expect(repo.fullReads).toBe(2);
  });
});

describe("CatalogueService: a model's view is built off the request path", () => {
  const row = (id: string) => ({ id, title: id, tags: ['rock'], hidden: false, popularity: 1 });
  const model = {
    dim: 1,
    items: ['a'],
    itemIndex: new Map([['a', 0]]),
    itemTags: [['rock']],
    itemEmb: Float32Array.from([1]),
    userEmb: Float32Array.from([1]),
  } as unknown as ModelArtifacts;
  function setup() {
    const repo = { fingerprint: '1', rows: [row('a')] };
    const fake = {
      catalogueFingerprint: async () => repo.fingerprint,
      eachCatalogueRow: async (_prefix: string, start: () => (row: CatalogueRow) => void) => {
        const sink = start();
        for (const r of repo.rows) sink({ ...r, tags: [...r.tags] });
      },
    };
    const store = { serving: [] as ModelArtifacts[], prepare: null as null | ((m: ModelArtifacts) => Promise<void>) };
    const storeApi = {
      prepareWith: (fn: (m: ModelArtifacts) => Promise<void>) => (store.prepare = fn),
      servingModels: () => store.serving,
    };
    const service = new CatalogueService(
      fake as unknown as RecommendationsRepository,
      { TRAINING_ID_PREFIX: '' } as AppConfig,
      undefined,
      storeApi as unknown as ModelStore,
    );
    const builds = jest.spyOn(build, 'buildModelView');
    return { repo, store, service, builds };
  }
  afterEach(() => jest.restoreAllMocks());

  it('a model being loaded gets its view through the ModelStore hook, before it serves: its first request builds nothing', async () => {
    const { store, service, builds } = setup();
    await store.prepare!(model);
    expect(builds).toHaveBeenCalledTimes(1);
    const view = await service.view(model, await service.get());
    expect(view.slots.ids).toEqual(['a']);
    expect(builds).toHaveBeenCalledTimes(1);
  });

  it("a changed read is published with the served models' views built; requests meanwhile keep the previous read", async () => {
    const { repo, store, service, builds } = setup();
    store.serving = [model];
    const first = await service.get();
    await service.view(model, first);
    repo.fingerprint = '2';
    repo.rows = [row('a'), row('new')];
    const reading = service.reload();
    expect(await service.get()).toBe(first); // the read and the view are being built: serving goes on with the previous ones
    const second = await reading;
    expect(builds).toHaveBeenCalledTimes(2);
    expect(await service.get()).toBe(second);
    expect((await service.view(model, second)).slots.ids).toEqual(['a', 'new']);
    expect(builds).toHaveBeenCalledTimes(2);
  });
});
