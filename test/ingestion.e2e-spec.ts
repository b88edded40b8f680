import { Driver } from 'neo4j-driver';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';

/**
 * The ingestion API against the real app and Neo4j: every mutation and query, each kind of bad
 * input (error code, reason, the named entries) and that a rejected batch writes nothing.
 */
describe('ingestion API', () => {
  let t: TestApp;
  let driver: Driver;
  const p = testPrefix('ingestion');
  const u = (n: string) => `${p}u${n}`;
  const i = (n: string) => `${p}i${n}`;

  /** Nodes and edges under this file's prefix: the "nothing written" check. */
  async function footprint() {
    const { records } = await driver.executeQuery(
      `MATCH (n) WHERE (n:User OR n:Item) AND n.id STARTS WITH $p
       RETURN count(n) AS nodes, COUNT { MATCH (x)-[r]-() WHERE (x:User OR x:Item) AND x.id STARTS WITH $p RETURN r } AS rels`,
      { p },
    );
    return { nodes: records[0].get('nodes').toNumber(), rels: records[0].get('rels').toNumber() };
  }
  async function edge(userId: string, itemId: string) {
    const { records } = await driver.executeQuery('MATCH (:User {id: $u})-[r:INTERACTED]->(:Item {id: $i}) RETURN properties(r) AS r', {
      u: userId,
      i: itemId,
    });
    const plain = (v: unknown) => (v && typeof v === 'object' && 'toNumber' in v ? (v as { toNumber(): number }).toNumber() : v);
    return records.map((r) => Object.fromEntries(Object.entries(r.get('r') as Record<string, unknown>).map(([k, v]) => [k, plain(v)])));
  }
  const q = {
    record: `mutation($e: [InteractionInput!]!, $c: Boolean) { recordInteractions(events: $e, createMissing: $c) { events pairs edgesCreated edgesUpdated usersCreated itemsCreated } }`,
    add: `mutation($p: [FriendshipInput!]!) { addFriendships(pairs: $p) { created existing duplicatesMerged } }`,
    remove: `mutation($p: [FriendshipPairInput!]!) { removeFriendships(pairs: $p) { removed notFound } }`,
    items: `mutation($i: [ItemInput!]!) { upsertItems(items: $i) { id title tags hidden attributes createdAt } }`,
    users: `mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`,
  };
  const ext = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => {
    expect(res.errors).toHaveLength(1);
    return res.errors![0].extensions!;
  };

  beforeAll(async () => {
    t = await startApp({ INGEST_EVENT_WEIGHTS: 'VIEW=1,LIKE=3,PLAY=1,RATING=value', INGEST_MAX_FUTURE_S: '300' });
    driver = testDriver();
    const users = await t.gql(q.users, { u: ['1', '2', '3', '4', '5'].map((n) => ({ id: u(n), name: `User ${n}` })) });
    expect(users.errors).toBeUndefined();
    const items = await t.gql(q.items, {
      i: ['1', '2', '3', '4', '5'].map((n) => ({ id: i(n), title: `Item ${n}`, tags: ['rock', 'pop'] })),
    });
    expect(items.errors).toBeUndefined();
  });
  afterAll(async () => {
    await cleanup(driver, p);
    await driver.close();
    await t.close();
  });

  describe('items', () => {
    it('upserts items: creates visible ones, updates title/tags, keeps what is omitted, collapses repeated tags', async () => {
      const a = await t.gql(q.items, { i: [{ id: i('x'), title: 'Xylo', tags: ['a', 'b', 'a'], attributes: { year: 1999 } }] });
      expect(a.errors).toBeUndefined();
      expect(a.data!.upsertItems[0]).toMatchObject({
        id: i('x'),
        title: 'Xylo',
        tags: ['a', 'b'],
        hidden: false,
        attributes: { year: 1999 },
      });
      const b = await t.gql(q.items, { i: [{ id: i('x'), tags: ['c'] }] });
      expect(b.data!.upsertItems[0]).toMatchObject({ title: 'Xylo', tags: ['c'], attributes: { year: 1999 } });
      const read = await t.gql(`query($id: ID!) { item(id: $id) { id title tags hidden } }`, { id: i('x') });
      expect(read.data!.item).toEqual({ id: i('x'), title: 'Xylo', tags: ['c'], hidden: false });
    });

    it('answers NOT_FOUND for an unknown item', async () => {
      const res = await t.gql(`query($id: ID!) { item(id: $id) { id } }`, { id: i('nope') });
      expect(ext(res)).toEqual({ code: 'NOT_FOUND', reason: 'ITEM_NOT_FOUND' });
    });

    it('rejects over-long titles and tags, too many tags, bad ids and duplicate ids, writing nothing', async () => {
      const before = await footprint();
      const res = await t.gql(q.items, {
        i: [
          { id: i('ok') },
          { id: i('t'), title: 'x'.repeat(513) },
          { id: i('g'), tags: Array.from({ length: 51 }, (_, k) => `t${k}`) },
          { id: i('h'), tags: ['y'.repeat(65)] },
          { id: ` ${i('sp')}` },
          { id: `${i('ctl')}\u0001` },
          { id: 'z'.repeat(257) },
        ],
      });
      const e = ext(res);
      expect(e).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'VALIDATION_FAILED' });
      const fields = (e.details as Array<{ field: string }>).map((d) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining(['items[1].title', 'items[2].tags', 'items[3].tags', 'items[4].id', 'items[5].id', 'items[6].id']),
      );
      expect(fields).not.toContain('items[0].id');
      const dup = await t.gql(q.items, { i: [{ id: i('d') }, { id: i('d') }] });
      expect(ext(dup)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_ITEMS', details: [{ field: 'items[1].id' }] });
      expect(await footprint()).toEqual(before);
    });

    it('hides and unhides items: they keep their edges; unknown ids reject the call', async () => {
      await t.gql(q.record, { e: [{ userId: u('5'), itemId: i('5'), type: 'VIEW' }] });
      const hide = await t.gql(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched changed } }`, { ids: [i('5'), i('5')] });
      expect(hide.data!.hideItems).toEqual({ matched: 1, changed: 1 });
      const again = await t.gql(`mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched changed } }`, { ids: [i('5')] });
      expect(again.data!.hideItems).toEqual({ matched: 1, changed: 0 });
      expect((await t.gql(`query($id: ID!) { item(id: $id) { hidden } }`, { id: i('5') })).data!.item.hidden).toBe(true);
      expect(await edge(u('5'), i('5'))).toHaveLength(1);

      const bad = await t.gql(`mutation($ids: [ID!]!) { unhideItems(ids: $ids) { matched } }`, { ids: [i('5'), i('ghost')] });
      expect(ext(bad)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'UNKNOWN_IDS',
        details: [{ field: 'ids[1]', message: `unknown item "${i('ghost')}"` }],
      });
      expect((await t.gql(`query($id: ID!) { item(id: $id) { hidden } }`, { id: i('5') })).data!.item.hidden).toBe(true);

      const un = await t.gql(`mutation($ids: [ID!]!) { unhideItems(ids: $ids) { matched changed } }`, { ids: [i('5')] });
      expect(un.data!.unhideItems).toEqual({ matched: 1, changed: 1 });
    });

    it('deletes items with their edges; unknown ids delete nothing', async () => {
      await t.gql(q.items, { i: [{ id: i('del') }] });
      await t.gql(q.record, { e: [{ userId: u('5'), itemId: i('del'), type: 'LIKE' }] });
      const bad = await t.gql(`mutation($ids: [ID!]!) { deleteItems(ids: $ids) { deleted } }`, { ids: [i('del'), i('ghost')] });
      expect(ext(bad)).toMatchObject({ reason: 'UNKNOWN_IDS', details: [{ field: 'ids[1]' }] });
      expect(await edge(u('5'), i('del'))).toHaveLength(1);
      const ok = await t.gql(`mutation($ids: [ID!]!) { deleteItems(ids: $ids) { deleted interactionsRemoved } }`, { ids: [i('del')] });
      expect(ok.data!.deleteItems).toEqual({ deleted: 1, interactionsRemoved: 1 });
      const { records } = await driver.executeQuery('MATCH (n:Item {id: $id}) RETURN n', { id: i('del') });
      expect(records).toHaveLength(0);
    });
  });

  describe('recordInteractions', () => {
    it('merges events of a pair into one edge: weight sum, count, distinct types, latest type, first/last ts', async () => {
      const t0 = Date.UTC(2024, 0, 1);
      const res = await t.gql(q.record, {
        e: [
          { userId: u('1'), itemId: i('1'), type: 'VIEW', ts: new Date(t0 + 2000).toISOString() },
          { userId: u('1'), itemId: i('1'), type: 'LIKE', ts: new Date(t0).toISOString() },
          { userId: u('1'), itemId: i('1'), type: 'RATING', weight: 4.5, ts: new Date(t0 + 1000).toISOString() },
          { userId: u('1'), itemId: i('2'), type: 'PLAY', weight: 12 },
        ],
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.recordInteractions).toEqual({
        events: 4,
        pairs: 2,
        edgesCreated: 2,
        edgesUpdated: 0,
        usersCreated: 0,
        itemsCreated: 0,
      });
      const [e] = await edge(u('1'), i('1'));
      expect(e).toMatchObject({ weight: 8.5, count: 3, type: 'VIEW', types: ['VIEW', 'LIKE', 'RATING'], firstTs: t0, lastTs: t0 + 2000 });
      expect(e.split).toBeUndefined();
      expect(e.rk).toBeGreaterThanOrEqual(0); // the random sampling key of a new edge (supernode windows)
      expect(e.rk).toBeLessThan(1);

      // A later call merges into the same edge.
      const more = await t.gql(q.record, { e: [{ userId: u('1'), itemId: i('1'), type: 'LIKE', ts: new Date(t0 + 5000).toISOString() }] });
      expect(more.data!.recordInteractions).toMatchObject({ pairs: 1, edgesCreated: 0, edgesUpdated: 1 });
      const after = await edge(u('1'), i('1'));
      expect(after).toHaveLength(1);
      expect(after[0].rk).toBe(e.rk); // a merge keeps the key
      expect(after[0]).toMatchObject({
        weight: 11.5,
        count: 4,
        type: 'LIKE',
        types: ['VIEW', 'LIKE', 'RATING'],
        firstTs: t0,
        lastTs: t0 + 5000,
      });
    });

    it('rejects unknown users/items (UNKNOWN_IDS, naming the entries) and writes nothing', async () => {
      const before = await footprint();
      const res = await t.gql(q.record, {
        e: [
          { userId: u('2'), itemId: i('3'), type: 'VIEW' },
          { userId: u('ghost'), itemId: i('3'), type: 'VIEW' },
          { userId: u('2'), itemId: i('ghost'), type: 'VIEW' },
          { userId: u('ghost'), itemId: i('ghost'), type: 'VIEW' },
        ],
      });
      const e = ext(res);
      expect(e).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_IDS' });
      expect(e.details).toEqual([
        { field: 'events[1].userId', message: `unknown user "${u('ghost')}"` },
        { field: 'events[2].itemId', message: `unknown item "${i('ghost')}"` },
      ]);
      expect(await footprint()).toEqual(before);
      expect(await edge(u('2'), i('3'))).toHaveLength(0);
    });

    it('creates bare users and items with createMissing: true', async () => {
      const res = await t.gql(q.record, {
        e: [
          { userId: u('new'), itemId: i('new'), type: 'LIKE' },
          { userId: u('2'), itemId: i('new'), type: 'VIEW' },
        ],
        c: true,
      });
      expect(res.data!.recordInteractions).toEqual({
        events: 2,
        pairs: 2,
        edgesCreated: 2,
        edgesUpdated: 0,
        usersCreated: 1,
        itemsCreated: 1,
      });
      const item = await t.gql(`query($id: ID!) { item(id: $id) { id title tags hidden } }`, { id: i('new') });
      expect(item.data!.item).toEqual({ id: i('new'), title: null, tags: [], hidden: false });
      const user = await t.gql(`query($id: ID!) { user(id: $id) { id name attributes } }`, { id: u('new') });
      expect(user.data!.user).toEqual({ id: u('new'), name: null, attributes: {} });
    });

    it('rejects bad entries naming each one: unknown type, missing RATING weight, weight out of range, future or pre-1970 ts, bad ids', async () => {
      const before = await footprint();
      const res = await t.gql(q.record, {
        e: [
          { userId: u('3'), itemId: i('3'), type: 'VIEW' },
          { userId: u('3'), itemId: i('3'), type: 'TELEPORT' },
          { userId: u('3'), itemId: i('3'), type: 'RATING' },
          { userId: u('3'), itemId: i('3'), type: 'VIEW', weight: -1 },
          { userId: u('3'), itemId: i('3'), type: 'VIEW', weight: 1e7 },
          { userId: u('3'), itemId: i('3'), type: 'VIEW', ts: new Date(Date.now() + 3_600_000).toISOString() },
          { userId: u('3'), itemId: i('3'), type: 'VIEW', ts: '1969-12-31T23:59:59.000Z' },
        ],
      });
      const e = ext(res);
      expect(e).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'VALIDATION_FAILED' });
      expect((e.details as Array<{ field: string }>).map((d) => d.field)).toEqual(['events[3].weight', 'events[4].weight']);
      expect(e.details[0].message).toMatch(/finite and >= 0/);
      // Range checks on the inputs come first; semantic checks (type, ts) on an otherwise valid batch:
      const sem = await t.gql(q.record, {
        e: [
          { userId: u('3'), itemId: i('3'), type: 'VIEW' },
          { userId: u('3'), itemId: i('3'), type: 'TELEPORT' },
          { userId: u('3'), itemId: i('3'), type: 'RATING' },
          { userId: u('3'), itemId: i('3'), type: 'VIEW', ts: new Date(Date.now() + 3_600_000).toISOString() },
          { userId: u('3'), itemId: i('3'), type: 'VIEW', ts: '1969-12-31T23:59:59.000Z' },
        ],
      });
      const s = ext(sem);
      expect(s).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'VALIDATION_FAILED' });
      expect(s.details).toEqual([
        { field: 'events[1].type', message: expect.stringContaining('unknown event type "TELEPORT"') },
        { field: 'events[2].weight', message: 'required for event type RATING' },
        { field: 'events[3].ts', message: 'must not be more than 300 s in the future' },
        { field: 'events[4].ts', message: 'must not be before 1970-01-01' },
      ]);
      const ids = await t.gql(q.record, { e: [{ userId: ` ${u('3')}`, itemId: 'x'.repeat(257), type: 'VIEW' }] });
      expect((ext(ids).details as Array<{ field: string }>).map((d) => d.field)).toEqual(
        expect.arrayContaining(['events[0].userId', 'events[0].itemId']),
      );
      expect(await footprint()).toEqual(before);
    });

    it('rejects more than 10,000 events with BATCH_TOO_LARGE', async () => {
      const e = Array.from({ length: 10_001 }, () => ({ userId: u('3'), itemId: i('3'), type: 'VIEW' }));
      const res = await t.gql(q.record, { e });
      expect(ext(res)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BATCH_TOO_LARGE' });
      expect(await edge(u('3'), i('3'))).toHaveLength(0);
    });
  });

  describe('friendships', () => {
    it('stores one edge per unordered pair, lower id to higher id; merges repeated pairs and reports them', async () => {
      const res = await t.gql(q.add, {
        p: [
          { a: u('2'), b: u('1'), since: '2020-01-02T00:00:00.000Z' },
          { a: u('1'), b: u('2'), since: '2019-05-01T00:00:00.000Z' },
          { a: u('1'), b: u('3') },
        ],
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.addFriendships).toEqual({ created: 2, existing: 0, duplicatesMerged: 1 });
      const { records } = await driver.executeQuery(
        'MATCH (a:User)-[r:FRIEND]->(b:User) WHERE a.id STARTS WITH $p RETURN a.id AS a, b.id AS b, r.since AS since, r.rk AS rk ORDER BY a, b',
        { p },
      );
      for (const r of records) expect(r.get('rk')).toBeGreaterThanOrEqual(0);
      expect(records.map((r) => [r.get('a'), r.get('b'), r.get('since')?.toNumber() ?? null])).toEqual([
        [u('1'), u('2'), Date.UTC(2019, 4, 1)],
        [u('1'), u('3'), null],
      ]);
      const again = await t.gql(q.add, { p: [{ a: u('3'), b: u('1') }] });
      expect(again.data!.addFriendships).toEqual({ created: 0, existing: 1, duplicatesMerged: 0 });
    });

    it('rejects self-friendships, bad dates and unknown users, writing nothing', async () => {
      const before = await footprint();
      const self = await t.gql(q.add, {
        p: [
          { a: u('4'), b: u('5') },
          { a: u('4'), b: u('4') },
          { a: u('5'), b: u('3'), since: '2999-01-01T00:00:00.000Z' },
        ],
      });
      expect(ext(self)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'VALIDATION_FAILED',
        details: [{ field: 'pairs[1]', message: expect.stringContaining('themselves') }, { field: 'pairs[2].since' }],
      });
      const unknown = await t.gql(q.add, {
        p: [
          { a: u('4'), b: u('5') },
          { a: u('ghost'), b: u('4') },
        ],
      });
      expect(ext(unknown)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'UNKNOWN_IDS',
        details: [{ field: 'pairs[1].a', message: `unknown user "${u('ghost')}"` }],
      });
      expect(await footprint()).toEqual(before);
    });

    it('removes friendships in either direction and counts pairs that were not friends', async () => {
      await t.gql(q.add, { p: [{ a: u('4'), b: u('5') }] });
      const res = await t.gql(q.remove, {
        p: [
          { a: u('5'), b: u('4') },
          { a: u('4'), b: u('5') },
          { a: u('4'), b: u('3') },
        ],
      });
      expect(res.data!.removeFriendships).toEqual({ removed: 1, notFound: 1 });
      const self = await t.gql(q.remove, { p: [{ a: u('4'), b: u('4') }] });
      expect(ext(self)).toMatchObject({ reason: 'VALIDATION_FAILED', details: [{ field: 'pairs[0]' }] });
    });
  });

  describe('queries', () => {
    it('pages a user’s interactions and friends by id with cursors; first is bounded', async () => {
      await t.gql(q.record, { e: ['1', '2', '3', '4'].map((n) => ({ userId: u('4'), itemId: i(n), type: 'VIEW' })) });
      await t.gql(q.add, {
        p: [
          { a: u('4'), b: u('1') },
          { a: u('4'), b: u('2') },
          { a: u('3'), b: u('4') },
        ],
      });
      const query = `query($id: ID!, $first: Int!, $after: String, $fafter: String) { user(id: $id) {
        interactions(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { item { id title } type types weight count split lastTs } } }
        friends(first: $first, after: $fafter) { totalCount pageInfo { hasNextPage endCursor } edges { node { user { id name } since } } } } }`;
      const p1 = await t.gql(query, { id: u('4'), first: 3 });
      expect(p1.errors).toBeUndefined();
      const ints = p1.data!.user.interactions;
      expect(ints.totalCount).toBe(4);
      expect(ints.edges.map((e: any) => e.node.item.id)).toEqual([i('1'), i('2'), i('3')]);
      expect(ints.edges[0].node).toMatchObject({
        item: { title: 'Item 1' },
        type: 'VIEW',
        types: ['VIEW'],
        weight: 1,
        count: 1,
        split: null,
      });
      expect(ints.pageInfo.hasNextPage).toBe(true);
      expect(p1.data!.user.friends.edges.map((e: any) => e.node.user.id)).toEqual([u('1'), u('2'), u('3')]);

      const p2 = await t.gql(query, {
        id: u('4'),
        first: 3,
        after: ints.pageInfo.endCursor,
        fafter: p1.data!.user.friends.pageInfo.endCursor,
      });
      expect(p2.data!.user.interactions.edges.map((e: any) => e.node.item.id)).toEqual([i('4')]);
      expect(p2.data!.user.interactions.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: expect.any(String),
        endCursor: expect.any(String),
      });
      expect(p2.data!.user.friends).toMatchObject({ totalCount: 3, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });

      for (const first of [0, 201]) {
        const bad = await t.gql(`query($id: ID!, $first: Int!) { user(id: $id) { interactions(first: $first) { totalCount } } }`, {
          id: u('4'),
          first,
        });
        expect(bad.errors![0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          reason: 'VALIDATION_FAILED',
          details: [{ field: 'first' }],
        });
      }
      const badCursor = await t.gql(query, { id: u('4'), first: 2, after: 'not a cursor' });
      expect(badCursor.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    });

    it('reports graph stats by label, relationship type and split', async () => {
      const res = await t.gql(
        `query { graphStats { nodes { name count } relationships { name count } interactionsBySplit { split count } } }`,
      );
      expect(res.errors).toBeUndefined();
      const s = res.data!.graphStats;
      const n = (list: Array<{ name: string; count: number }>, name: string) => list.find((x) => x.name === name)!.count;
      expect(n(s.nodes, 'USER')).toBeGreaterThanOrEqual(6);
      expect(n(s.nodes, 'ITEM')).toBeGreaterThanOrEqual(6);
      expect(n(s.relationships, 'INTERACTED')).toBeGreaterThanOrEqual(5);
      expect(n(s.relationships, 'FRIEND')).toBeGreaterThanOrEqual(2);
      expect(s.interactionsBySplit.find((x: any) => x.split === null).count).toBeGreaterThanOrEqual(5);
    });
  });

  describe('deleteUser', () => {
    it('removes the user and every edge, leaving no trace', async () => {
      await t.gql(q.users, { u: [{ id: u('gone') }] });
      await t.gql(q.record, {
        e: [
          { userId: u('gone'), itemId: i('1'), type: 'VIEW' },
          { userId: u('gone'), itemId: i('2'), type: 'LIKE' },
        ],
      });
      await t.gql(q.add, {
        p: [
          { a: u('gone'), b: u('1') },
          { a: u('2'), b: u('gone') },
        ],
      });
      await driver.executeQuery('MATCH (a:User {id: $a}), (b:User {id: $b}) CREATE (a)-[:FOLLOWS]->(b)', { a: u('3'), b: u('gone') });
      const res = await t.gql(
        `mutation($id: ID!) { deleteUser(id: $id) { id interactionsRemoved friendshipsRemoved relationshipsRemoved } }`,
        { id: u('gone') },
      );
      expect(res.data!.deleteUser).toEqual({ id: u('gone'), interactionsRemoved: 2, friendshipsRemoved: 2, relationshipsRemoved: 5 });
      const { records } = await driver.executeQuery(
        `OPTIONAL MATCH (n {id: $id}) WITH count(n) AS nodes
         OPTIONAL MATCH ()-[r]-() WHERE startNode(r).id = $id OR endNode(r).id = $id
         RETURN nodes, count(r) AS rels`,
        { id: u('gone') },
      );
      expect(records[0].get('nodes').toNumber()).toBe(0);
      expect(records[0].get('rels').toNumber()).toBe(0);
      const again = await t.gql(`mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: u('gone') });
      expect(again.errors![0].extensions).toEqual({ code: 'NOT_FOUND', reason: 'USER_NOT_FOUND' });
    });
  });
});
