import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { removeTrained, seedTasteGraph, TasteGraph, trainAndRegister, TrainedModel } from './support/model';
import { RecommendationsRepository } from '../src/recommendations/recommendations.repository';
import { attentionKey, readIdTsv, readNpyFloat32 } from '../src/model-registry/artifacts';
import { ModelRegistryService } from '../src/model-registry/model-registry.service';
import { ModelStore } from '../src/model-registry/model-store';
import { SnapshotService } from '../src/sampling/snapshot.service';

const ADMIN = 'test-admin-token-recs';
const NODE = 'id item { id title tags } score rank isNew';
const EXPLAIN = 'explanation { sentence friends { id user { id name } attention } basedOn { id item { id title } similarity } }';
const REC = `query($u: ID!, $first: Int, $after: String, $filter: RecommendationFilter, $model: ServingModelChoice, $explain: Boolean) {
  recommendations(userId: $u, first: $first, after: $after, filter: $filter, model: $model, explain: $explain) {
    path modelVersionId modelKind pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${NODE} ${EXPLAIN} } } } }`;

/** The schema's shape: results with their own ids, linking to their item or user. */
interface WireNode {
  id: string;
  item: { id: string; title: string | null; tags: string[] };
  score: number;
  rank: number;
  isNew: boolean;
  explanation: {
    sentence: string;
    friends: Array<{ id: string; user: { id: string; name: string | null }; attention: number | null }>;
    basedOn: Array<{ id: string; item: { id: string; title: string }; similarity: number }>;
  } | null;
}

/** A result flattened onto its item, as the assertions below read it; `resultId` is the result's own id. */
interface RecNode {
  resultId: string;
  id: string;
  title: string | null;
  tags: string[];
  score: number;
  rank: number;
  isNew: boolean;
  explanation: {
    sentence: string;
    friends: Array<{ id: string; name: string | null; attention: number | null }>;
    basedOn: Array<{ id: string; title: string; similarity: number }>;
  } | null;
}
interface RecPage {
  path: string;
  modelVersionId: string | null;
  modelKind: string | null;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: RecNode }>;
}

const flatten = (n: WireNode): RecNode => ({
  resultId: n.id,
  id: n.item.id,
  title: n.item.title,
  tags: n.item.tags,
  score: n.score,
  rank: n.rank,
  isNew: n.isNew,
  explanation: n.explanation && {
    sentence: n.explanation.sentence,
    friends: n.explanation.friends.map((f) => ({ id: f.user.id, name: f.user.name, attention: f.attention })),
    basedOn: n.explanation.basedOn.map((b) => ({ id: b.item.id, title: b.item.title, similarity: b.similarity })),
  },
});

describe('recommendations: fold-in, cold start, explanations over a real trained model', () => {
  let t: TestApp;
  let driver: Driver;
  let g: TasteGraph;
  const p = testPrefix('recs');
  const id = (s: string) => `${p}${s}`;
  const db = { database: process.env.NEO4J_DATABASE ?? 'neo4j' };

  async function recs(userId: string, vars: Record<string, unknown> = {}): Promise<RecPage> {
    const r = await t.gql<{ recommendations: Omit<RecPage, 'edges'> & { edges: Array<{ cursor: string; node: WireNode }> } }>(REC, {
      u: userId,
      ...vars,
    });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const page = r.data!.recommendations;
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: flatten(e.node) })) };
  }
  async function recsError(userId: unknown, vars: Record<string, unknown> = {}) {
    const r = await t.gql(REC, { u: userId, ...vars });
    expect(r.errors).toBeDefined();
    return r.errors![0];
  }
  const ids = (page: RecPage) => page.edges.map((e) => e.node.id);
  /** similarItems' first page, flattened onto the items. */
  async function similarItems(itemId: string, first: number): Promise<Array<{ id: string; similarity: number; isNew: boolean }>> {
    const r = await t.gql<{ similarItems: { edges: Array<{ node: { item: { id: string }; similarity: number; isNew: boolean } }> } }>(
      `query($i: ID!, $first: Int!) { similarItems(itemId: $i, first: $first) { edges { node { item { id } similarity isNew } } } }`,
      { i: itemId, first },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.similarItems.edges.map(({ node }) => ({ id: node.item.id, similarity: node.similarity, isNew: node.isNew }));
  }
  const genreOf = (itemId: string) => /-i-([a-z]+)-/.exec(itemId)?.[1] ?? 'new';
  const mutate = async (q: string, vars: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const r = await t.gql(q, vars, headers);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  const addUsers = (users: Array<{ id: string; name?: string }>) =>
    mutate(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: users });
  const play = (userId: string, itemIds: string[]) =>
    mutate(`mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events } }`, {
      e: itemIds.map((itemId) => ({ userId, itemId, type: 'PLAY' })),
    });

  beforeAll(async () => {
    driver = testDriver();
    g = await seedTasteGraph(driver, p);
    // The serving scope is the test's prefix, as it would be a dataset's (TRAINING_ID_PREFIX).
    t = await startApp({ TRAINING_ID_PREFIX: p, ADMIN_TOKEN: ADMIN });
  }, 120_000);
  const trained: TrainedModel[] = [];
  afterAll(async () => {
    await t?.close();
    await cleanup(driver, p);
    await driver.close();
    removeTrained(...trained);
  });

  describe('with no model at all', () => {
    it('serves popularity (documented), never seen items, and says so', async () => {
      const u = g.users.rock[3];
      const page = await recs(u, { first: 50 });
      expect(page.path).toBe('POPULAR');
      expect(page.modelVersionId).toBeNull();
      const seen = new Set(g.interactions.get(u));
      expect(ids(page).filter((i) => seen.has(i))).toEqual([]);
      const scores = page.edges.map((e) => e.node.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // score = number of users who interacted, straight from the graph
      const top = page.edges[0].node;
      const { records } = await driver.executeQuery(
        'MATCH (i:Item {id: $id}) RETURN COUNT { (i)<-[:INTERACTED]-() } AS n',
        { id: top.id },
        db,
      );
      expect(top.score).toBe(records[0].get('n').toNumber());
    });

    it('a model kind with no trained version is UNAVAILABLE NO_MODEL, and so is similarItems', async () => {
      const e = await recsError(g.users.rock[3], { model: 'LIGHTGCN' });
      expect(e.extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'NO_MODEL' });
      const s = await t.gql(`query($i: ID!) { similarItems(itemId: $i) { edges { node { id } } } }`, { i: g.items.rock[0] });
      expect(s.errors![0].extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'NO_MODEL' });
    });
  });

  it("the one-row context fingerprint agrees with the context read, and moves with the user's and the friends' writes", async () => {
    const repo = t.app.get(RecommendationsRepository);
    const limits = { items: 5_000, friends: 500, friendItems: 1_000 };
    const users = [...Object.values(g.users).flat(), id('nobody')];
    const both = async (ids: string[]) => {
      const [ctxs, fps] = await Promise.all([repo.userContexts(ids, limits), repo.contextFingerprints(ids, limits)]);
      return ids.map((u) => [ctxs.get(u)!.fingerprint, fps.get(u)]);
    };
    for (const [fromContext, fromFingerprint] of await both(users)) expect(fromFingerprint).toBe(fromContext);
    const u = g.users.pop[9];
    const friend = g.friends.find(([a, b]) => a === u || b === u)!.find((v) => v !== u)!;
    const before = (await both([u]))[0][1];
    await addUsers([{ id: friend, name: 'renamed friend' }]);
    const renamed = (await both([u]))[0];
    expect(renamed[1]).toBe(renamed[0]);
    expect(renamed[1]).not.toBe(before);
    await play(friend, [g.items.rock[11]]);
    const friendPlayed = (await both([u]))[0];
    expect(friendPlayed[1]).toBe(friendPlayed[0]);
    expect(friendPlayed[1]).not.toBe(renamed[1]);
    await play(u, [g.items.jazz[11]]);
    const played = (await both([u]))[0];
    expect(played[1]).toBe(played[0]);
    expect(played[1]).not.toBe(friendPlayed[1]);
  });

  it('the catalogue fingerprint moves with every item write (new, renamed, hidden, deleted), not with interactions', async () => {
    const repo = t.app.get(RecommendationsRepository);
    const fp = () => repo.catalogueFingerprint(p);
    const item = id('i-fingerprint');
    const listener = id('u-fingerprint');
    const moves = async (write: () => Promise<unknown>) => {
      const before = await fp();
      await new Promise((r) => setTimeout(r, 2)); // updatedAt is in milliseconds
      await write();
      return (await fp()) !== before;
    };
    const upsert = (title: string) =>
      mutate(`mutation($i: [ItemInput!]!) { upsertItems(items: $i) { id } }`, { i: [{ id: item, title, tags: ['jazz'] }] });
    const remove = () => mutate(`mutation($ids: [ID!]!) { deleteItems(ids: $ids) { deleted } }`, { ids: [item] });
    try {
      expect(await moves(() => upsert('fingerprint'))).toBe(true);
      expect(await moves(() => upsert('fingerprint, renamed'))).toBe(true);
      expect(await moves(() => mutate(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched } }`, { ids: [item] }))).toBe(true);
      expect(await moves(() => mutate(`mutation($ids: [ID!]!) { unhideItems(ids: $ids) { matched } }`, { ids: [item] }))).toBe(true);
      await addUsers([{ id: listener }]);
      expect(await moves(() => play(listener, [item]))).toBe(false); // popularity: the periodic full read
      expect(await moves(remove)).toBe(true);
    } finally {
      await t.gql(`mutation($ids: [ID!]!) { deleteItems(ids: $ids) { deleted } }`, { ids: [item] }); // the later tests count the catalogue (UNKNOWN_IDS: already gone)
      await mutate(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: listener });
    }
    expect(await repo.catalogueFingerprint(id('no-such-scope:'))).toBe('0/0/0');
  });

  describe('with a trained SocialGCN model', () => {
    let social: TrainedModel;
    let attention: Map<string, { w: number; kept: boolean }>;

    beforeAll(async () => {
      social = await trainAndRegister(t.app, { idPrefix: p, kind: 'SOCIALGCN', epochs: 30, extraArgs: ['--attention-topk', '2'] });
      trained.push(social);
      attention = new Map();
      for (const line of readFileSync(join(social.dir, 'attention.csv'), 'utf8').split('\n').slice(1).filter(Boolean)) {
        const [a, b, w, k] = line.split(',');
        attention.set(`${a}|${b}`, { w: Number(w), kept: k === '1' });
      }
    }, 240_000);

    it('ranks a known user by fold-in of their current items, within their taste, never returning seen items', async () => {
      let onGenre = 0;
      const tops: string[] = [];
      for (const genre of g.genres) {
        for (const u of g.users[genre].slice(0, 4)) {
          const page = await recs(u, { first: 200 });
          expect(page.path).toBe('FOLD_IN');
          expect(page.modelKind).toBe('SOCIALGCN');
          expect(page.modelVersionId).toBe(social.version.id);
          const seen = new Set(g.interactions.get(u));
          expect(ids(page).filter((i) => seen.has(i))).toEqual([]);
          expect(page.edges.map((e) => e.node.rank)).toEqual(page.edges.map((_, n) => n + 1));
          expect(page.edges.length).toBe(36 - seen.size);
          // the model learned the communities: the top 3 are mostly of the user's genre
          onGenre += ids(page)
            .slice(0, 3)
            .filter((i) => genreOf(i) === genre).length;
          tops.push(
            `${u.slice(p.length)}: ${ids(page)
              .slice(0, 3)
              .map((i) => i.slice(p.length))
              .join(' ')}`,
          );
        }
      }
      if (onGenre < 0.75 * 36) console.log(`on-genre ${onGenre}/36\n${tops.join('\n')}`);
      expect(onGenre).toBeGreaterThanOrEqual(0.75 * 36);
    });

    it('never returns hidden items, and returns them again once unhidden', async () => {
      const u = g.users.jazz[5];
      const before = await recs(u, { first: 10 });
      const top = before.edges[0].node.id;
      await mutate(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched } }`, { ids: [top] });
      const after = await recs(u, { first: 200 });
      expect(ids(after)).not.toContain(top);
      expect(after.edges[0].node.rank).toBe(1);
      await mutate(`mutation($ids: [ID!]!) { unhideItems(ids: $ids) { matched } }`, { ids: [top] });
      // both take effect on the next request, although the user's ranking is cached in between
      const again = await recs(u, { first: 200 });
      expect(ids(again)[0]).toBe(top);
      expect(ids(again).slice(1)).toEqual(ids(after).slice(0, ids(again).length - 1));
    });

    it('filters hold: includeTags, excludeTags, excludeItemIds; unknown tags are BAD_USER_INPUT UNKNOWN_TAGS', async () => {
      const u = g.users.rock[2];
      const jazz = await recs(u, { first: 200, filter: { includeTags: ['jazz'] } });
      expect(jazz.edges.length).toBeGreaterThan(0);
      for (const e of jazz.edges) expect(e.node.tags).toContain('jazz');
      const noLive = await recs(u, { first: 200, filter: { excludeTags: ['live'] } });
      for (const e of noLive.edges) expect(e.node.tags).not.toContain('live');
      const all = await recs(u, { first: 5 });
      const drop = ids(all).slice(0, 2);
      const without = await recs(u, { first: 200, filter: { excludeItemIds: [...drop, id('no-such-item')] } });
      expect(ids(without).filter((i) => drop.includes(i))).toEqual([]);
      expect(ids(without)[0]).toBe(ids(all)[2]);
      const bad = await recsError(u, { filter: { includeTags: ['jazz', 'no-such-tag'] } });
      expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_TAGS' });
      expect(bad.message).toContain('no-such-tag');
    });

    it('a new interaction changes the answer on the next request, without retraining', async () => {
      const carol = id('carol');
      await addUsers([{ id: carol, name: 'Carol' }]);
      await play(carol, g.items.rock.slice(0, 3));
      const rock = await recs(carol, { first: 5 });
      expect(rock.path).toBe('FOLD_IN');
      expect(ids(rock).filter((i) => genreOf(i) === 'rock').length).toBeGreaterThanOrEqual(3);
      await play(carol, g.items.jazz.slice(0, 5));
      const jazz = await recs(carol, { first: 5 });
      expect(jazz.modelVersionId).toBe(rock.modelVersionId);
      expect(ids(jazz)).not.toEqual(ids(rock));
      expect(ids(jazz).filter((i) => genreOf(i) === 'jazz').length).toBeGreaterThanOrEqual(3);
      for (const i of [...g.items.rock.slice(0, 3), ...g.items.jazz.slice(0, 5)]) expect(ids(jazz)).not.toContain(i);
    });

    it('cold start: no interactions and no friends → popular items', async () => {
      const dave = id('dave');
      await addUsers([{ id: dave }]);
      const page = await recs(dave, { first: 10 });
      expect(page.path).toBe('POPULAR');
      expect(page.modelVersionId).toBe(social.version.id);
      const scores = page.edges.map((e) => e.node.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(scores[0]).toBeGreaterThan(0);
    });

    it("cold start: no interactions but friends → popularity shifted toward the friends' tastes", async () => {
      const erin = id('erin');
      await addUsers([{ id: erin }]);
      expect((await recs(erin, { first: 5 })).path).toBe('POPULAR'); // cached until erin's next write
      const pairs = g.users.pop.slice(0, 3).map((b) => ({ a: erin, b }));
      await mutate(`mutation($p: [FriendshipInput!]!) { addFriendships(pairs: $p) { created } }`, { p: pairs });
      const page = await recs(erin, { first: 5 });
      expect(page.path).toBe('FRIENDS');
      expect(ids(page).filter((i) => genreOf(i) === 'pop').length).toBeGreaterThanOrEqual(3);
      const popular = await recs(id('dave'), { first: 5 });
      expect(ids(page)).not.toEqual(ids(popular));
      await mutate(`mutation($p: [FriendshipPairInput!]!) { removeFriendships(pairs: $p) { removed } }`, { p: pairs });
      expect((await recs(erin, { first: 5 })).path).toBe('POPULAR');
    });

    it('answers are cached between writes, and every kind of write for the user shows on the next request', async () => {
      const frank = id('frank');
      await addUsers([{ id: frank }]);
      await play(frank, g.items.pop.slice(0, 2));
      const first = await recs(frank, { first: 10 });
      expect(await recs(frank, { first: 10 })).toEqual(first); // the same ranking, from the cache
      await play(frank, [ids(first)[0]]);
      const afterPlay = await recs(frank, { first: 10 });
      expect(ids(afterPlay)).not.toContain(ids(first)[0]);
      const next = ids(afterPlay)[0];
      await mutate(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched } }`, { ids: [next] });
      expect(ids(await recs(frank, { first: 10 }))).not.toContain(next);
      await mutate(`mutation($ids: [ID!]!) { unhideItems(ids: $ids) { matched } }`, { ids: [next] });
      expect(ids(await recs(frank, { first: 10 }))[0]).toBe(next);
      await mutate(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: frank });
      expect((await recsError(frank)).extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'USER_NOT_FOUND' });
    });

    it('a new item with no interactions reaches users through its tags, marked isNew', async () => {
      const fresh = id('i-new-jazz');
      await mutate(`mutation($i: [ItemInput!]!) { upsertItems(items: $i) { id } }`, {
        i: [{ id: fresh, title: 'Brand new jazz', tags: ['jazz'] }],
      });
      await new Promise((r) => setTimeout(r, 10_500)); // the catalogue (new items) is re-read every 10 s
      await recs(g.users.jazz[1], { first: 1 }); // triggers the background refresh
      await new Promise((r) => setTimeout(r, 500));
      const page = await recs(g.users.jazz[1], { first: 10 });
      const hit = page.edges.find((e) => e.node.id === fresh);
      expect(hit).toBeDefined();
      expect(hit!.node.isNew).toBe(true);
      for (const e of page.edges.filter((x) => x.node.id !== fresh)) expect(e.node.isNew).toBe(false);
      const rockFan = await recs(g.users.rock[1], { first: 200 });
      const rockRank = rockFan.edges.find((e) => e.node.id === fresh)?.node.rank ?? 999;
      expect(rockRank).toBeGreaterThan(hit!.node.rank);
      const similar = await similarItems(fresh, 5);
      expect(similar.filter((s) => genreOf(s.id) === 'jazz').length).toBeGreaterThanOrEqual(3);
    }, 60_000);

    it('explanations name only real friends who interacted with the item through edges the attention filter kept', async () => {
      let friendMentions = 0;
      let itemMentions = 0;
      for (const genre of g.genres) {
        for (const u of g.users[genre].slice(0, 6)) {
          const page = await recs(u, { first: 10, explain: true });
          const { records } = await driver.executeQuery(
            `MATCH (u:User {id: $u})-[:FRIEND]-(f:User) RETURN f.id AS f, [(f)-[:INTERACTED]->(i) | i.id] AS items`,
            { u },
            db,
          );
          const friendItems = new Map(records.map((r) => [r.get('f') as string, new Set(r.get('items') as string[])]));
          const mine = new Set(g.interactions.get(u));
          for (const { node } of page.edges) {
            expect(node.explanation).not.toBeNull();
            expect(node.explanation!.sentence.length).toBeGreaterThan(5);
            for (const f of node.explanation!.friends) {
              expect(friendItems.has(f.id)).toBe(true); // a real friend
              expect(friendItems.get(f.id)!.has(node.id)).toBe(true); // who really interacted with it
              expect(attention.get(`${u}|${f.id}`)?.kept).toBe(true); // through an edge above the threshold
              expect(f.attention).toBeCloseTo(attention.get(`${u}|${f.id}`)!.w, 4);
              expect(node.explanation!.sentence).toContain('friend');
              friendMentions++;
            }
            for (const b of node.explanation!.basedOn) {
              expect(mine.has(b.id)).toBe(true);
              itemMentions++;
            }
          }
          // friends the filter dropped are never named, even when they interacted with the item
          const dropped = [...friendItems.keys()].filter((f) => attention.get(`${u}|${f}`)?.kept === false);
          for (const { node } of page.edges) for (const f of node.explanation!.friends) expect(dropped).not.toContain(f.id);
        }
      }
      expect(friendMentions).toBeGreaterThan(0);
      expect(itemMentions).toBeGreaterThan(0);
      const plain = await recs(g.users.rock[0], { first: 3 });
      for (const e of plain.edges) expect(e.node.explanation).toBeNull();
    });

    it('pagination is stable: pages concatenate to the single-request ranking', async () => {
      const u = g.users.pop[4];
      const whole = await recs(u, { first: 12 });
      const p1 = await recs(u, { first: 5 });
      const p2 = await recs(u, { first: 5, after: p1.pageInfo.endCursor });
      const p3 = await recs(u, { first: 5, after: p2.pageInfo.endCursor });
      expect([...ids(p1), ...ids(p2), ...ids(p3)].slice(0, 12)).toEqual(ids(whole));
      expect(p2.edges.map((e) => e.node.rank)).toEqual([6, 7, 8, 9, 10]);
      expect(p1.pageInfo.hasNextPage).toBe(true);
      // any edge's cursor works as `after`
      const fromEdge = await recs(u, { first: 2, after: p1.edges[2].cursor });
      expect(ids(fromEdge)).toEqual(ids(whole).slice(3, 5));
      // the end
      const all = await recs(u, { first: 200 });
      expect(all.pageInfo.hasNextPage).toBe(false);
      const last = await recs(u, { first: 200, after: all.pageInfo.endCursor });
      expect(last.edges).toEqual([]);
      // a cursor of another query, or not a cursor at all
      const other = await recsError(g.users.pop[5], { after: p1.pageInfo.endCursor });
      expect(other.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
      const junk = await recsError(u, { after: 'bm90LWEtY3Vyc29y' });
      expect(junk.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
      // Relay PageInfo: the first page has nothing before it, a later one has; startCursor is the first edge's
      expect(p1.pageInfo).toMatchObject({ hasPreviousPage: false, startCursor: p1.edges[0].cursor, endCursor: p1.edges[4].cursor });
      expect(p2.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: p2.edges[0].cursor });
      expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
    });

    it('result ids: one per (user, filter, model, explain, item), never the item id, the same on a repeated request', async () => {
      const [a, b] = [g.users.pop[4], g.users.pop[5]];
      const resultIds = (page: RecPage) => page.edges.map((e) => e.node.resultId);
      const plain = await recs(a, { first: 20 });
      expect(resultIds(await recs(a, { first: 20 }))).toEqual(resultIds(plain)); // a normalised cache updates, not duplicates
      expect(new Set(resultIds(plain)).size).toBe(20);
      for (const n of plain.edges.map((e) => e.node)) expect(n.resultId).not.toBe(n.id);
      const other = await recs(b, { first: 20 });
      const filtered = await recs(a, { first: 20, filter: { excludeItemIds: [id('no-such-item')] } });
      const explained = await recs(a, { first: 20, explain: true });
      for (const page of [other, filtered, explained]) {
        // the same item for another user, under another filter or with explanations is another result
        const shared = page.edges.filter((e) => ids(plain).includes(e.node.id));
        expect(shared.length).toBeGreaterThan(0);
        for (const e of shared) expect(resultIds(plain)).not.toContain(e.node.resultId);
      }
    });

    it('similarItems pages like every connection: cursors continue the list, PageInfo is complete', async () => {
      const item = g.items.rock[3];
      const whole = await similarItems(item, 8);
      const PAGE = `query($i: ID!, $after: String) { similarItems(itemId: $i, first: 4, after: $after) {
        modelVersionId pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id item { id } } } } }`;
      type Page = {
        modelVersionId: string;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
        edges: Array<{ cursor: string; node: { id: string; item: { id: string } } }>;
      };
      const first = (await t.gql<{ similarItems: Page }>(PAGE, { i: item })).data!.similarItems;
      const second = (await t.gql<{ similarItems: Page }>(PAGE, { i: item, after: first.pageInfo.endCursor })).data!.similarItems;
      expect([...first.edges, ...second.edges].map((e) => e.node.item.id)).toEqual(whole.map((s) => s.id));
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0].cursor });
      expect(second.pageInfo.hasPreviousPage).toBe(true);
      const wrong = await t.gql(PAGE, { i: g.items.rock[4], after: first.pageInfo.endCursor });
      expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    });

    it('bad input: clear GraphQL errors, never a 500', async () => {
      const unknown = await recsError(id('nobody'));
      expect(unknown.extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'USER_NOT_FOUND' });
      for (const first of [0, 201, -1]) {
        const e = await recsError(g.users.rock[0], { first });
        expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'VALIDATION_FAILED' });
        expect(e.extensions!.details[0].field).toBe('first');
      }
      for (const bad of [' leading-space', 'ctrl\u0001char', '', 'x'.repeat(300)]) {
        const e = await recsError(bad);
        expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      }
      const badIds = await recsError(g.users.rock[0], { filter: { excludeItemIds: [' bad'] } });
      expect(badIds.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'VALIDATION_FAILED' });
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ recommendations(userId: "${g.users.rock[0]}", model: RANDOM_FOREST) { path } }` }),
      });
      expect(res.status).toBeLessThan(500);
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0].message).toMatch(/RANDOM_FOREST/);
      expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const noItem = await t.gql(`query($i: ID!) { similarItems(itemId: $i) { edges { node { id } } } }`, { i: id('no-such-item') });
      expect(noItem.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'ITEM_NOT_FOUND' });
    });

    it('similarItems: nearest items by embedding, never the item itself or hidden ones', async () => {
      const item = g.items.rock[3];
      const list = await similarItems(item, 5);
      expect(list).toHaveLength(5);
      expect(list.map((s) => s.id)).not.toContain(item);
      expect(list.filter((s) => genreOf(s.id) === 'rock').length).toBeGreaterThanOrEqual(3);
      const sims = list.map((s) => s.similarity);
      expect(sims).toEqual([...sims].sort((a, b) => b - a));
    });

    describe('with a LightGCN version trained and promoted too', () => {
      let light: TrainedModel;
      let oldCursor: string;
      beforeAll(async () => {
        oldCursor = (await recs(g.users.rock[1], { first: 3 })).pageInfo.endCursor!;
        // a fixed weight for friends' picks (the trainer's default picks it on validation, and may pick 0)
        light = await trainAndRegister(t.app, { idPrefix: p, kind: 'LIGHTGCN', epochs: 30, extraArgs: ['--friends-beta', '0.5'] });
        trained.push(light);
      }, 240_000);

      it('model: ACTIVE follows the promoted version; model: SOCIALGCN still serves the latest SocialGCN', async () => {
        const active = await recs(g.users.rock[1], { first: 3 });
        expect(active.modelKind).toBe('LIGHTGCN');
        expect(active.modelVersionId).toBe(light.version.id);
        const s = await recs(g.users.rock[1], { first: 3, model: 'SOCIALGCN' });
        expect(s.modelKind).toBe('SOCIALGCN');
        expect(s.modelVersionId).toBe(social.version.id);
      });

      it('a cursor issued by another model version is BAD_USER_INPUT STALE_CURSOR', async () => {
        const e = await recsError(g.users.rock[1], { first: 3, after: oldCursor });
        expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'STALE_CURSOR' });
        // the same cursor still pages the SocialGCN ranking it came from... only with the same query
        const again = await recsError(g.users.rock[1], { first: 3, after: oldCursor, model: 'SOCIALGCN' });
        expect(again.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
      });

      it('explanations without attention (LightGCN) name friends who interacted with the item', async () => {
        const u = g.users.jazz[2];
        const page = await recs(u, { first: 10, explain: true });
        for (const { node } of page.edges) {
          for (const f of node.explanation!.friends) {
            const { records } = await driver.executeQuery(
              'MATCH (:User {id: $u})-[:FRIEND]-(f:User {id: $f})-[:INTERACTED]->(:Item {id: $i}) RETURN count(*) AS n',
              { u, f: f.id, i: node.id },
              db,
            );
            expect(records[0].get('n').toNumber()).toBe(1);
            expect(f.attention).toBeNull();
          }
        }
      });

      it("friends' picks: a friend's new interaction lifts that item for the user on their next request, and only that item", async () => {
        expect(
          (JSON.parse(readFileSync(join(light.dir, 'metrics.json'), 'utf8')) as { friends_blend: { beta: number } }).friends_blend.beta,
        ).toBe(0.5);
        const u = g.users.jazz[5];
        const friendItems = async () => {
          const { records } = await driver.executeQuery(
            'MATCH (:User {id: $u})-[:FRIEND]-(:User)-[:INTERACTED]->(i:Item) RETURN collect(DISTINCT i.id) AS ids',
            { u },
            db,
          );
          return new Set(records[0].get('ids') as string[]);
        };
        const touched = await friendItems();
        const before = await recs(u, { first: 200 });
        const untouched = before.edges.map((e) => e.node).filter((n) => !touched.has(n.id));
        expect(untouched.length).toBeGreaterThanOrEqual(2);
        const x = untouched[untouched.length - 1]; // the lowest-ranked item no friend has
        const y = untouched[0];
        const friend = g.friends.find(([a, b]) => a === u || b === u)!.find((v) => v !== u)!;
        await play(friend, [x.id]);
        expect((await friendItems()).has(x.id)).toBe(true);

        const after = await recs(u, { first: 200 });
        const node = (id: string) => after.edges.find((e) => e.node.id === id)!.node;
        expect(node(x.id).score).toBeGreaterThan(x.score);
        expect(node(x.id).rank).toBeLessThan(x.rank);
        expect(node(y.id).score).toBe(y.score); // no friend touched it: the model's own score
        const explained = await recs(u, { first: 200, explain: true });
        const why = explained.edges.find((e) => e.node.id === x.id)!.node.explanation!;
        expect(why.friends.map((f) => f.id)).toContain(friend);
      });

      describe('deletion (issue #21): nothing deleted or hidden is served, by any path, once the mutation answers', () => {
        const RELATED = `query($i: ID!) { relatedItems(itemId: $i, first: 50) { item { id } } }`;
        /** Every item id any serving path shows now: both models' fold-in, friends and popularity paths, explanations, similar and related items. */
        async function everything(users: string[], probeItems: string[]): Promise<Set<string>> {
          const out = new Set<string>();
          for (const u of users) {
            for (const model of [undefined, 'SOCIALGCN', 'LIGHTGCN']) {
              const page = await recs(u, { first: 200, explain: true, ...(model ? { model } : {}) });
              for (const { node } of page.edges) {
                out.add(node.id);
                for (const b of node.explanation!.basedOn) out.add(b.id);
              }
            }
          }
          for (const i of probeItems) {
            for (const x of await similarItems(i, 50)) out.add(x.id);
            const r = await t.gql<{ relatedItems: Array<{ item: { id: string } }> }>(RELATED, { i });
            if (r.errors) throw new Error(JSON.stringify(r.errors));
            for (const x of r.data!.relatedItems) out.add(x.item.id);
          }
          return out;
        }

        it('deleteItems: an item recommended right now is gone at once from recommendations, explanations, similarItems and relatedItems', async () => {
          const fresh = id('del-cold');
          const withFriend = id('del-friendly');
          await addUsers([{ id: fresh }, { id: withFriend }]);
          await mutate(`mutation($f: [FriendshipInput!]!) { addFriendships(pairs: $f) { created } }`, {
            f: [{ a: withFriend, b: g.users.rock[0] }],
          });
          const u = g.users.rock[4];
          const top = (await recs(u, { first: 1 })).edges[0].node.id;
          const cold = await recs(fresh, { first: 200 });
          expect(cold.path).toBe('POPULAR');
          expect((await recs(withFriend, { first: 200 })).path).toBe('FRIENDS');
          const probe = g.items.rock.filter((i) => i !== top).slice(0, 3);
          const users = [u, fresh, withFriend, g.users.rock[5]];
          expect(await everything(users, probe)).toContain(top);

          await mutate(`mutation($ids: [ID!]!) { deleteItems(ids: $ids) { deleted } }`, { ids: [top] });
          expect(await everything(users, probe)).not.toContain(top);
        });

        it("a hidden item of the user's own is never named in an explanation's basedOn", async () => {
          const u = g.users.rock[6];
          const page = await recs(u, { first: 20, explain: true });
          const named = page.edges.flatMap((e) => e.node.explanation!.basedOn.map((b) => b.id));
          expect(named.length).toBeGreaterThan(0);
          const hide = named[0];
          await mutate(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched } }`, { ids: [hide] });
          const after = await recs(u, { first: 200, explain: true });
          expect(after.edges.flatMap((e) => e.node.explanation!.basedOn.map((b) => b.id))).not.toContain(hide);
          await mutate(`mutation($ids: [ID!]!) { unhideItems(ids: $ids) { matched } }`, { ids: [hide] });
        });

        it('deleteUser, then a rollback to the older version: the user is not served, and the store holds no vector or attention row of theirs', async () => {
          const store = t.app.get(ModelStore);
          const victim = g.users.pop[7];
          // the pop ring: every user has friends, and interactions (the models hold them)
          const friend = g.friends.find(([a, b]) => a === victim || b === victim)!.find((v) => v !== victim)!;
          expect(g.interactions.get(victim)!.length).toBeGreaterThan(0);
          expect(store.active()!.version.id).toBe(light.version.id);
          expect(store.active()!.model.userIndex.has(victim)).toBe(true);
          const socialRow = (await readIdTsv(join(social.dir, 'users.tsv'))).ids.indexOf(victim);
          expect(socialRow).toBeGreaterThanOrEqual(0);
          expect([...attention.keys()].some((k) => k.split('|').includes(victim))).toBe(true); // the file still has them

          await mutate(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: victim });
          const gone = (await recsError(victim)).extensions;
          expect(gone).toMatchObject({ code: 'NOT_FOUND', reason: 'USER_NOT_FOUND' });
          const held = (m: ReturnType<ModelStore['active']>) => {
            const model = m!.model;
            expect(model.userIndex.has(victim)).toBe(false);
            expect(model.users).not.toContain(victim);
            expect([...model.attention.keys()].filter((k) => k.split('\u0000').includes(victim))).toEqual([]);
          };
          held(store.active());

          await t.app.get(ModelRegistryService).rollback();
          const back = store.active()!;
          expect(back.version.id).toBe(social.version.id);
          held(back);
          expect(back.model.attention.size).toBeGreaterThan(0);
          const dim = back.model.dim;
          expect([...back.model.userEmb.subarray(socialRow * dim, (socialRow + 1) * dim)].every((x) => x === 0)).toBe(true);
          // the files on disk still hold the row; what serves does not
          const onDisk = readNpyFloat32(join(social.dir, 'user_embeddings.npy')).data.subarray(socialRow * dim, (socialRow + 1) * dim);
          expect([...onDisk].some((x) => x !== 0)).toBe(true);
          expect((await recsError(victim)).extensions).toMatchObject({ reason: 'USER_NOT_FOUND' });
          const page = await recs(friend, { first: 50, explain: true });
          expect(page.modelVersionId).toBe(social.version.id);
          for (const { node } of page.edges) expect(node.explanation!.friends.map((f) => f.id)).not.toContain(victim);
          expect(back.model.attention.has(attentionKey(friend, victim))).toBe(false);

          // the id re-created: served from its new graph state only, never exported for training
          await addUsers([{ id: victim }]);
          await play(victim, [g.items.pop[0]]);
          expect(store.active()!.model.userIndex.has(victim)).toBe(false);
          const dir = mkdtempSync(join(tmpdir(), 'tastegraph-deleted-'));
          try {
            await t.app.get(SnapshotService).exportSnapshot(dir, { idPrefix: p });
            expect((await readIdTsv(join(dir, 'users.tsv'))).ids).not.toContain(victim);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        });
      });
    });
  });
});
