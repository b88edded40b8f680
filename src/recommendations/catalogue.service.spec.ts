import { GraphChanges } from '../ingestion/graph-changes';
import { AppConfig } from '../config/config.schema';
import { CATALOGUE_FULL_READ_MS, CatalogueService, sameItems } from './catalogue.service';
import { RecommendationsRepository } from './recommendations.repository';

describe('sameItems: a re-read where only popularity moved keeps the derived views', () => {
  const row = (id: string, popularity = 1, tags = ['rock']) => ({ id, title: `T ${id}`, tags, hidden: false, popularity });
  it('equal rows in the same order are the same, whatever their popularity', () => {
    expect(sameItems([row('a'), row('b')], [row('a'), row('b')])).toBe(true);
    expect(sameItems([row('a'), row('b')], [row('a'), row('b', 2)])).toBe(true);
  });
  it('any changed tag, hidden flag, title, order or length is a change', () => {
    const base = [row('a'), row('b')];
    expect(sameItems(base, [row('a'), row('b', 1, ['rock', 'live'])])).toBe(false);
    expect(sameItems(base, [row('a'), { ...row('b'), hidden: true }])).toBe(false);
    expect(sameItems(base, [row('a'), { ...row('b'), title: null }])).toBe(false);
    expect(sameItems(base, [row('b'), row('a')])).toBe(false);
    expect(sameItems(base, [row('a')])).toBe(false);
  });
});

describe('CatalogueService: rows are re-read only when the fingerprint changes', () => {
  const row = (id: string) => ({ id, title: id, tags: [], hidden: false, popularity: 1 });
  function setup() {
    const repo = { fingerprint: '1/1/0/5', rows: [row('a')], fullReads: 0 };
    const fake = {
      catalogueFingerprint: async () => repo.fingerprint,
      catalogue: async () => {
        repo.fullReads++;
        return repo.rows;
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
    repo.fingerprint = '2/1/0/9';
    repo.rows = [row('a'), row('b')];
    const second = await service.reload();
    expect(repo.fullReads).toBe(2);
    expect(second.byId.has('b')).toBe(true);
    expect(second.stamp).toBeGreaterThan(first.stamp);
  });

  it('a re-read where only popularity moved keeps the catalogue and its slots, with the new popularity in place', async () => {
    const { repo, service } = setup();
    repo.rows = [row('a'), row('b')];
    const first = await service.reload();
    const slots = first.slots;
    repo.fingerprint = '2/3/0/5'; // more interactions, the same items
    repo.rows = [row('a'), { ...row('b'), popularity: 0 }];
    const second = await service.reload();
    expect(second).toBe(first);
    expect(second.slots).toBe(slots);
    expect(second.stamp).toBe(first.stamp);
    expect(second.popularityStamp).toBe(1);
    expect([...second.slots.popularity]).toEqual([1, 0]);
    expect([...second.slots.isNew]).toEqual([0, 1]);
    expect(second.byId.get('b')!.popularity).toBe(0);
    repo.fingerprint = '3/3/0/5';
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
    expect((await service.get()).byId.get('a')!.title).toBe('renamed');
    expect(repo.fullReads).toBe(2);
    expect((await service.get()).byId.get('a')!.title).toBe('renamed');
    expect(repo.fullReads).toBe(2);
    changes.receive({ kind: 'userEdges', userIds: ['u'] }); // not an item change
    await service.get();
    expect(repo.fullReads).toBe(2);
  });
});
