import { Driver } from 'neo4j-driver';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { hasLastfm, loadLastfmSubset } from './support/lastfm-subset';
import { ModelRegistryService } from '../src/model-registry/model-registry.service';
import { ServingProfile } from '../src/recommendations/serving-profile';
import { removeTrained, trainAndRegister, TrainedModel } from './support/model';

const REC = `query($u: ID!, $first: Int, $after: String, $filter: RecommendationFilter) {
  recommendations(userId: $u, first: $first, after: $after, filter: $filter) {
    path pageInfo { hasNextPage endCursor } edges { node { item { id tags } score rank } } } }`;

const SIMILAR = `query($id: ID!, $first: Int) { similarItems(itemId: $id, first: $first) { edges { node { item { id } similarity } } } }`;

interface Page {
  path: string;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: { item: { id: string; tags: string[] }; score: number; rank: number } }>;
}

/**
 * ANN retrieval forced on (ANN_MIN_ITEMS=0) against the same model scored exactly (a second app with
 * the threshold out of reach), on a LastFM subset of a few thousand items: the index is built at
 * load, reported on /health/ready, and the answers (masks, filters, friends' picks, pages up to 200)
 * are the exact ones; similarItems from the model's cosine index agrees with comparing every item.
 */
(hasLastfm() ? describe : describe.skip)('ANN candidate retrieval against exact scoring (real trainer, real services)', () => {
  let ann: TestApp;
  let exact: TestApp;
  let driver: Driver;
  let model: TrainedModel | undefined;
  let exactVersion = '';
  const p = testPrefix('ann');
  const db = { database: process.env.NEO4J_DATABASE ?? 'neo4j' };
  let users: string[] = [];
  let itemIds: string[] = [];
  const seen = new Map<string, Set<string>>();

  const recs = async (app: TestApp, u: string, vars: Record<string, unknown> = {}): Promise<Page> => {
    const r = await app.gql<{ recommendations: Page }>(REC, { u, ...vars });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.recommendations;
  };
  const ids = (page: Page) => page.edges.map((e) => e.node.item.id);
  /** Both answers: the same items in the same order, each with the exact score. */
  const same = (a: Page, e: Page) => {
    expect(ids(a)).toEqual(ids(e));
    a.edges.forEach((x, k) => expect(x.node.score).toBeCloseTo(e.edges[k].node.score, 4));
    expect(a.pageInfo.hasNextPage).toBe(e.pageInfo.hasNextPage);
  };

  beforeAll(async () => {
    driver = testDriver();
    await loadLastfmSubset(driver, p, 300);
    // tags for the filters: every 7th artist is 'seven' (a narrow filter: the candidates widen)
    await driver.executeQuery(
      `MATCH (i:Item) WHERE i.id STARTS WITH $p
       SET i.tags = CASE WHEN toInteger(substring(i.id, size($p) + 1)) % 7 = 0 THEN ['seven'] ELSE ['other'] END`,
      { p },
      db,
    );
    const { records } = await driver.executeQuery(
      'MATCH (u:User)-[:INTERACTED]->(i:Item) WHERE u.id STARTS WITH $p RETURN u.id AS u, collect(i.id) AS items ORDER BY u',
      { p },
      db,
    );
    for (const r of records) seen.set(r.get('u') as string, new Set(r.get('items') as string[]));
    users = [...seen.keys()];
    itemIds = [...new Set([...seen.values()].flatMap((x) => [...x]))].sort();
    ann = await startApp({ TRAINING_ID_PREFIX: p, ANN_MIN_ITEMS: '0', TRAINER_WORKER: 'false' });
    model = await trainAndRegister(ann.app, {
      idPrefix: p,
      kind: 'LIGHTGCN',
      epochs: 20,
      extraArgs: ['--friends-beta', '0.5'],
      timeoutMs: 300_000,
    });
    // The same artefacts registered and promoted in the exact app (each test app has its own registry database).
    exact = await startApp({ TRAINING_ID_PREFIX: p, ANN_MIN_ITEMS: '1000000000', TRAINER_WORKER: 'false' });
    const registry = exact.app.get(ModelRegistryService);
    const v = model.version;
    const copy = await registry.register({
      kind: v.kind,
      artifactDir: v.artifactDir,
      runId: v.runId,
      snapshotStats: null,
      hyperparameters: null,
      checksums: v.checksums,
    });
    exactVersion = (await registry.promote(copy.id)).id;
  }, 420_000);
  afterAll(async () => {
    await ann?.close();
    await exact?.close();
    await cleanup(driver, p);
    await driver.close();
    removeTrained(model);
  });

  it('/health/ready says which model serves from an index (READY, with its size) and which scores every item (EXACT)', async () => {
    const a = await ann.get('/health/ready');
    const serving = a.body.checks.model.detail.serving;
    expect(serving.id).toBe(model!.version.id);
    expect(serving.ann).toMatchObject({ status: 'READY', engine: 'usearch' });
    expect(serving.ann.items).toBeGreaterThan(2_000);
    const e = await exact.get('/health/ready');
    expect(serving.similar).toMatchObject({ status: 'READY', engine: 'usearch', items: serving.ann.items });
    expect(e.body.checks.model.detail.serving).toMatchObject({ id: exactVersion, ann: { status: 'EXACT' }, similar: { status: 'EXACT' } });
  });

  it('top-20 of 60 fold-in users (friends’ picks on) equals the exact top-20, never a seen item', async () => {
    for (const u of users.slice(0, 60)) {
      const [a, e] = await Promise.all([recs(ann, u, { first: 20 }), recs(exact, u, { first: 20 })]);
      expect(a.path).toBe('FOLD_IN');
      same(a, e);
      expect(ids(a).filter((i) => seen.get(u)!.has(i))).toEqual([]);
    }
  });

  it('a narrow tag filter with excluded ids widens the candidates and still gives the exact answer', async () => {
    for (const u of users.slice(60, 70)) {
      const top = ids(await recs(exact, u, { first: 30, filter: { includeTags: ['seven'] } }));
      const filter = { includeTags: ['seven'], excludeItemIds: top.slice(0, 5) };
      const [a, e] = await Promise.all([recs(ann, u, { first: 50, filter }), recs(exact, u, { first: 50, filter })]);
      same(a, e);
      expect(a.edges.length).toBe(50);
      for (const x of a.edges) {
        expect(x.node.item.tags).toEqual(['seven']);
        expect(top.slice(0, 5)).not.toContain(x.node.item.id);
        expect(seen.get(u)!.has(x.node.item.id)).toBe(false);
      }
    }
  });

  it('pages of 200 (first and second) are the exact ones, without a repeat', async () => {
    const u = users[100];
    const [a1, e1] = await Promise.all([recs(ann, u, { first: 200 }), recs(exact, u, { first: 200 })]);
    same(a1, e1);
    const [a2, e2] = await Promise.all([
      recs(ann, u, { first: 200, after: a1.pageInfo.endCursor }),
      recs(exact, u, { first: 200, after: e1.pageInfo.endCursor }),
    ]);
    same(a2, e2);
    expect(new Set([...ids(a1), ...ids(a2)]).size).toBe(400);
  });

  const similar = async (app: TestApp, id: string, first = 20) => {
    const r = await app.gql<{ similarItems: { edges: Array<{ node: { item: { id: string }; similarity: number } }> } }>(SIMILAR, {
      id,
      first,
    });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.similarItems.edges.map((e) => e.node);
  };

  it('similarItems from the cosine index: Recall@20 ≥ 0.99 against every item compared, over 150 items, with the exact cosines', async () => {
    const sample = itemIds.filter((_, k) => k % Math.floor(itemIds.length / 150) === 0).slice(0, 150);
    let hits = 0;
    for (const id of sample) {
      const [a, e] = await Promise.all([similar(ann, id), similar(exact, id)]);
      expect(a).toHaveLength(e.length);
      const want = new Map(e.map((x) => [x.item.id, x.similarity]));
      hits += a.filter((x) => want.has(x.item.id)).length;
      for (const x of a) if (want.has(x.item.id)) expect(x.similarity).toBeCloseTo(want.get(x.item.id)!, 6);
      expect(a.map((x) => x.item.id)).not.toContain(id);
    }
    expect(hits / (20 * sample.length)).toBeGreaterThanOrEqual(0.99);
    expect(ann.app.get(ServingProfile).counters()['similar-ann']).toBeGreaterThanOrEqual(sample.length); // the index answered
    expect(exact.app.get(ServingProfile).counters()['similar-ann']).toBeUndefined();
  });

  it('similarItems: 12 of an item’s neighbours hidden are gone at once; the list refills from deeper in the index', async () => {
    const id = itemIds[7];
    const before = (await similar(ann, id, 40)).map((x) => x.item.id);
    const hide = before.filter((_, k) => k % 2 === 0).slice(0, 12);
    const r = await ann.gql(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched } }`, { ids: hide });
    expect(r.errors).toBeUndefined();
    const after = (await similar(ann, id, 20)).map((x) => x.item.id);
    expect(after).toHaveLength(20);
    expect(after.filter((x) => hide.includes(x))).toEqual([]);
    expect(after).toEqual(before.filter((x) => !hide.includes(x)).slice(0, 20));
  });

  it('an item hidden after the index was built is gone at once; the answer refills from deeper candidates', async () => {
    const u = users[120];
    const before = ids(await recs(ann, u, { first: 20 }));
    const r = await ann.gql(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched } }`, { ids: before.slice(0, 3) });
    expect(r.errors).toBeUndefined();
    const after = await recs(ann, u, { first: 20 });
    expect(ids(after).slice(0, 17)).toEqual(before.slice(3));
    expect(ids(after)).not.toContain(before[0]);
    expect(after.edges.length).toBe(20);
  });
});
