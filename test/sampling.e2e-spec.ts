import { Driver } from 'neo4j-driver';
import { MaintenanceService } from '../src/sampling/maintenance.service';
import { SampledNeighbor } from '../src/sampling/neighborhood';
import { SamplingRepository } from '../src/sampling/sampling.repository';
import { SamplingService } from '../src/sampling/sampling.service';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';

/** Test fixtures: hand-made graphs written straight to Neo4j (no ingestion code involved). */
const CREATE_USERS = `UNWIND $ids AS id MERGE (u:User {id: id}) SET u.createdAt = 0, u.attributesJson = '{}'`;
const CREATE_ITEMS = `UNWIND $items AS it MERGE (i:Item {id: it.id})
  SET i.title = it.id, i.tags = [], i.hidden = it.hidden, i.createdAt = 0, i.attributesJson = '{}'`;
const CREATE_EDGES = `UNWIND $edges AS e
  MATCH (u:User {id: e.u}) MATCH (i:Item {id: e.i})
  MERGE (u)-[r:INTERACTED]->(i)
  SET r.weight = e.w, r.count = 1, r.type = 'PLAY', r.types = ['PLAY'], r.firstTs = toInteger(e.ts), r.lastTs = toInteger(e.ts),
      r.split = e.split, r.rk = rand()`;
const CREATE_FRIENDS = `UNWIND $pairs AS p
  MATCH (a:User {id: p.a}) MATCH (b:User {id: p.b})
  MERGE (a)-[r:FRIEND]->(b) SET r.rk = rand()`;

interface Edge {
  u: string;
  i: string;
  w?: number;
  ts?: number | null;
  split?: string | null;
}

describe('sampling: neighbour samples, random walks and overlap on real Neo4j', () => {
  let t: TestApp;
  let driver: Driver;
  let sampling: SamplingService;
  let repo: SamplingRepository;
  const p = testPrefix('sampling');
  const id = (s: string) => `${p}${s}`;
  const run = (q: string, params: Record<string, unknown>) =>
    driver.executeQuery(q, params, { database: process.env.NEO4J_DATABASE ?? 'neo4j' });

  async function graph(
    users: string[],
    items: Array<string | { id: string; hidden: boolean }>,
    edges: Edge[],
    friends: Array<[string, string]> = [],
  ) {
    await run(CREATE_USERS, { ids: users.map(id) });
    await run(CREATE_ITEMS, {
      items: items.map((it) => (typeof it === 'string' ? { id: id(it), hidden: false } : { id: id(it.id), hidden: it.hidden })),
    });
    await run(CREATE_EDGES, {
      edges: edges.map((e) => ({ u: id(e.u), i: id(e.i), w: e.w ?? 1.0, ts: e.ts ?? null, split: e.split ?? null })),
    });
    const pairs = friends.map(([a, b]) => (id(a) < id(b) ? { a: id(a), b: id(b) } : { a: id(b), b: id(a) }));
    await run(CREATE_FRIENDS, { pairs });
  }

  beforeAll(async () => {
    t = await startApp();
    driver = testDriver();
    sampling = t.app.get(SamplingService);
    repo = t.app.get(SamplingRepository);
  });
  afterAll(async () => {
    await cleanup(driver, p);
    await driver.close();
    await t.close();
  });

  describe('sampleNeighborhood', () => {
    // u0 interacted with i0..i11, i0..i2 also have users u1..u3; u0 is friends with u1 and u2.
    const items = Array.from({ length: 12 }, (_, k) => `i${k}`);
    const edges: Edge[] = [
      ...items.map((i, k) => ({ u: 'u0', i, w: k + 1 })),
      ...['u1', 'u2', 'u3'].flatMap((u) => ['i0', 'i1', 'i2'].map((i) => ({ u, i, w: 2 }))),
    ];
    const adjacency = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      adjacency.set(id(a), (adjacency.get(id(a)) ?? new Set()).add(id(b)));
      adjacency.set(id(b), (adjacency.get(id(b)) ?? new Set()).add(id(a)));
    };
    edges.forEach((e) => link(e.u, e.i));
    const friends: Array<[string, string]> = [
      ['u0', 'u1'],
      ['u0', 'u2'],
    ];

    beforeAll(async () => {
      await graph(['u0', 'u1', 'u2', 'u3', 'lonely'], items, edges, friends);
      friends.forEach(([a, b]) => link(a, b));
    });

    it('keeps fan-outs, draws no duplicates, and only real neighbours (GraphQL)', async () => {
      const entryIds = new Map<string, string>(); // (seed, hop, parent, edge, node) -> its result id, over every round
      for (let round = 0; round < 10; round++) {
        const res = await t.gql(
          `query($s: ID!) { sampleNeighborhood(seedId: $s, fanouts: [5, 3], includeFriends: true) {
             seedId seedKind bias hops { hop fanout neighbors { id nodeId kind user { id name } item { id hidden } weight parentId edge } } } }`,
          { s: id('u0') },
        );
        expect(res.errors).toBeUndefined();
        const n = res.data!.sampleNeighborhood;
        expect(n).toMatchObject({ seedId: id('u0'), seedKind: 'USER', bias: 'UNIFORM' });
        expect(n.hops.map((h: any) => [h.hop, h.fanout])).toEqual([
          [1, 5],
          [2, 3],
        ]);
        let parents = new Set([id('u0')]);
        const idsOfAnswer: string[] = [];
        for (const [h, hop] of n.hops.entries()) {
          const byParent = new Map<string, string[]>();
          for (const nb of hop.neighbors) {
            expect(parents.has(nb.parentId)).toBe(true);
            expect(adjacency.get(nb.parentId)!.has(nb.nodeId)).toBe(true);
            expect(nb.kind).toBe(nb.nodeId.startsWith(id('u')) ? 'USER' : 'ITEM');
            expect(nb.edge).toBe(nb.kind === 'USER' && nb.parentId.startsWith(id('u')) ? 'FRIEND' : 'INTERACTED');
            // the node is linked as a user or an item, the other link is null
            if (nb.kind === 'USER') expect([nb.user?.id, nb.item]).toEqual([nb.nodeId, null]);
            else expect([nb.item, nb.user]).toEqual([{ id: nb.nodeId, hidden: false }, null]);
            // a result id of its own, the same for the same entry of the sample in every round
            expect(nb.id).toMatch(/^SampledNeighbor:[A-Za-z0-9_-]{22}$/);
            const entry = JSON.stringify([id('u0'), h, nb.parentId, nb.edge, nb.nodeId]);
            expect(entryIds.get(entry) ?? nb.id).toBe(nb.id);
            entryIds.set(entry, nb.id);
            idsOfAnswer.push(nb.id);
            byParent.set(nb.parentId, [...(byParent.get(nb.parentId) ?? []), nb.nodeId]);
          }
          for (const [parent, ids] of byParent) {
            expect(ids.length).toBeLessThanOrEqual([5, 3][h]);
            expect(new Set(ids).size).toBe(ids.length);
            expect(ids.length).toBe(Math.min([5, 3][h], adjacency.get(parent)!.size));
          }
          parents = new Set(hop.neighbors.map((nb: any) => nb.nodeId));
        }
        // a node reached from two parents or at two hops is two entries: no two share an id
        expect(new Set(idsOfAnswer).size).toBe(idsOfAnswer.length);
      }
      // the graph reaches some node from two parents, so distinct ids per entry were actually exercised
      const nodes = [...entryIds.keys()].map((e) => (JSON.parse(e) as string[])[4]);
      expect(new Set(nodes).size).toBeLessThan(nodes.length);
    });

    it('returns the edge weight of each sampled INTERACTED edge', async () => {
      const n = await sampling.sampleNeighborhood([id('u0')], { fanouts: [12] });
      expect(n.hops[0]).toHaveLength(12);
      for (const nb of n.hops[0]) expect(nb.weight).toBe(Number(nb.id.slice(id('i').length)) + 1);
    });

    it('samples hop 2 once per distinct hop-1 node (batch of seeds, shared frontier)', async () => {
      const n = await sampling.sampleNeighborhood([id('u1'), id('u2')], { fanouts: [3, 2] });
      // u1 and u2 both reach i0..i2: hop 2 has one sample per distinct item, not one per (seed, item)
      const parents = n.hops[1].map((r) => r.parent);
      expect(new Set(parents).size).toBe(3);
      expect(parents.length).toBe(6);
    });

    it('rejects out-of-range arguments and unknown seeds', async () => {
      const q = `query($s: ID!, $f: [Int!]) { sampleNeighborhood(seedId: $s, fanouts: $f) { seedId } }`;
      for (const f of [[10, 5, 5, 5], [51], [0], []]) {
        const res = await t.gql(q, { s: id('u0'), f });
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      }
      const missing = await t.gql(q, { s: id('nobody'), f: [2] });
      expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'NODE_NOT_FOUND' });
    });

    it('answers an existing node without neighbours with empty hops, not NOT_FOUND', async () => {
      const res = await t.gql(`query($s: ID!) { sampleNeighborhood(seedId: $s) { seedKind hops { hop fanout neighbors { nodeId } } } }`, {
        s: id('lonely'),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.sampleNeighborhood).toEqual({
        seedKind: 'USER',
        hops: [
          { hop: 1, fanout: 10, neighbors: [] },
          { hop: 2, fanout: 5, neighbors: [] },
        ],
      });
    });
  });

  describe('every neighbour keeps a chance; biases follow their weights', () => {
    const star = Array.from({ length: 30 }, (_, k) => `s${k}`);
    const big = Array.from({ length: 300 }, (_, k) => `b${k}`);
    const heavy = Array.from({ length: 200 }, (_, k) => `h${k}`); // weights 1 and 4, alternating
    const day = 86_400_000;
    const now = Date.UTC(2026, 0, 1);
    beforeAll(async () => {
      await graph(
        [...star, ...big, ...heavy, 'w1', 'w2', 'w3', 'w4', 'r1', 'r2', 'r3'],
        ['star', 'big', 'heavy', 'weighted', 'recent'],
        [
          ...star.map((u) => ({ u, i: 'star' })),
          ...big.map((u) => ({ u, i: 'big' })),
          ...heavy.map((u, k) => ({ u, i: 'heavy', w: k % 2 ? 4 : 1 })),
          ...[1, 2, 3, 4].map((w) => ({ u: `w${w}`, i: 'weighted', w })),
          { u: 'r1', i: 'recent', ts: now },
          { u: 'r2', i: 'recent', ts: now - 30 * day },
          { u: 'r3', i: 'recent', ts: null },
        ],
      );
    });

    // The statistical cases below send thousands of seeds in one query. A forced window reads its
    // share of the global rk index (every edge of the database, lastfm included once the import
    // test has run) for each seed, so those cases keep windows narrow (a small cap or window).
    const STATS_TIMEOUT_MS = 300_000;
    const draws = async (
      item: string,
      copies: number,
      k: number,
      bias: 'UNIFORM' | 'WEIGHT' | 'RECENCY',
      cap?: number,
      window?: number,
    ) => {
      const rows = await repo.sampleHop(
        Array.from({ length: copies }, () => ({ id: id(item), kind: 'ITEM' as const })),
        k,
        {
          bias,
          includeFriends: false,
          now,
          cap,
          window,
        },
      );
      const freq = new Map<string, number>();
      rows.forEach((r) => freq.set(r.id, (freq.get(r.id) ?? 0) + 1));
      return { rows, freq };
    };

    it('reaches every neighbour of a star over repeated samples (exact path)', async () => {
      const { freq } = await draws('star', 100, 5, 'UNIFORM');
      expect([...freq.keys()].sort()).toEqual(star.map(id).sort());
    });

    it(
      'reaches every neighbour of a supernode through the rk window (window path forced with a small cap)',
      async () => {
        const { rows, freq } = await draws('big', 400, 10, 'UNIFORM', 50);
        expect([...freq.keys()].sort()).toEqual(big.map(id).sort());
        expect(rows.every((r: SampledNeighbor) => r.parent === id('big'))).toBe(true);
        // roughly uniform: every user drawn 4000/300 = 13.3 times on average (Poisson max over 300 is
        // about 25); a window that favoured some edges (e.g. thin windows at the ends of [0, 1)) shows up here
        expect(Math.max(...freq.values())).toBeLessThan(40);
      },
      STATS_TIMEOUT_MS,
    );

    it(
      'WEIGHT bias: k = 1 draws are proportional to the edge weight',
      async () => {
        const { freq } = await draws('weighted', 4000, 1, 'WEIGHT');
        for (const w of [1, 2, 3, 4]) expect(Math.abs((freq.get(id(`w${w}`)) ?? 0) / 4000 - w / 10)).toBeLessThan(0.03);
        const uniform = await draws('weighted', 4000, 1, 'UNIFORM');
        for (const w of [1, 2, 3, 4]) expect(Math.abs((uniform.freq.get(id(`w${w}`)) ?? 0) / 4000 - 0.25)).toBeLessThan(0.03);
        // a forced window that would hold every edge reads them all instead (same answer, no index scan)
        const whole = await draws('weighted', 2000, 1, 'WEIGHT', 2);
        expect(Math.abs((whole.freq.get(id('w4')) ?? 0) / 2000 - 0.4)).toBeLessThan(0.04);
      },
      STATS_TIMEOUT_MS,
    );

    it(
      'WEIGHT bias through the rk window: heavy edges win about in proportion',
      async () => {
        // 100 edges of weight 4, 100 of weight 1; windows of about 16 edges (cap 50, window 16). Exact
        // share of the weight-4 edges: 0.8; a window of ~16 candidates pulls it toward uniform by
        // about 0.012 (E[w / (w + 15 others)]), so 0.788 is expected.
        const n = 1500;
        const { rows, freq } = await draws('heavy', n, 1, 'WEIGHT', 50, 16);
        expect(rows.length).toBeGreaterThan(n * 0.95); // a window of 16 is empty with probability ~e^-16
        const heavyShare = heavy.filter((_, k) => k % 2).reduce((sum, u) => sum + (freq.get(id(u)) ?? 0), 0) / rows.length;
        expect(Math.abs(heavyShare - 0.788)).toBeLessThan(0.045);
      },
      STATS_TIMEOUT_MS,
    );

    it(
      'RECENCY bias: weight halves every 30 days; a missing lastTs counts as a year old but stays possible',
      async () => {
        const { freq } = await draws('recent', 4000, 1, 'RECENCY');
        const tiny = 2 ** (-365 / 30);
        const total = 1 + 0.5 + tiny;
        expect(Math.abs((freq.get(id('r1')) ?? 0) / 4000 - 1 / total)).toBeLessThan(0.03);
        expect(Math.abs((freq.get(id('r2')) ?? 0) / 4000 - 0.5 / total)).toBeLessThan(0.03);
        const many = await draws('recent', 10, 3, 'RECENCY');
        expect(many.rows).toHaveLength(30); // with k = 3 all three, the undated one included
      },
      STATS_TIMEOUT_MS,
    );
  });

  describe('PinSage random walks', () => {
    // users x: {A, B}, y: {B, C}; C is hidden.
    beforeAll(async () => {
      await graph(
        ['x', 'y', 'p', 'q', 'r'],
        ['A', 'B', { id: 'C', hidden: true }],
        [
          { u: 'x', i: 'A' },
          { u: 'x', i: 'B' },
          { u: 'y', i: 'B' },
          { u: 'y', i: 'C' },
        ],
        [
          ['p', 'q'],
          ['q', 'r'],
        ],
      );
    });

    /** Exact expected visits per walk (item -> user -> item, uniform, restart before each step). */
    function exactVisits(seed: string, length: number, restart: number): Map<string, number> {
      const itemsOf: Record<string, string[]> = { x: ['A', 'B'], y: ['B', 'C'] };
      const usersOf: Record<string, string[]> = { A: ['x'], B: ['x', 'y'], C: ['y'] };
      let dist = new Map([[seed, 1]]);
      const visits = new Map<string, number>();
      for (let s = 0; s < length; s++) {
        const before = new Map<string, number>();
        for (const [n, q] of dist) {
          before.set(n, (before.get(n) ?? 0) + q * (1 - restart));
          before.set(seed, (before.get(seed) ?? 0) + q * restart);
        }
        const next = new Map<string, number>();
        for (const [n, q] of before) {
          for (const u of usersOf[n])
            for (const i of itemsOf[u]) next.set(i, (next.get(i) ?? 0) + q / usersOf[n].length / itemsOf[u].length);
        }
        next.forEach((q, n) => visits.set(n, (visits.get(n) ?? 0) + q));
        dist = next;
      }
      return visits;
    }

    it.each([[0], [0.5]])('visit frequencies match the exact distribution (3 items, 2 users, length 2, restart %p)', async (restart) => {
      // by hand for restart 0: step 1 A 1/2, B 1/2; step 2 A 3/8, B 1/2, C 1/8 => non-seed B 1, C 1/8 => B 8/9, C 1/9
      const walks = 3000;
      const state = await repo.walk([id('A')], 'ITEMS', { walks, length: 2, restart });
      const exact = exactVisits('A', 2, restart);
      const exactTotal = [...exact].filter(([n]) => n !== 'A').reduce((s, [, q]) => s + q, 0);
      const counted = state.visits[0];
      const total = [...counted].filter(([n]) => n !== id('A')).reduce((s, [, c]) => s + c, 0);
      expect(total).toBeGreaterThan(0);
      for (const n of ['B', 'C']) {
        expect(Math.abs((counted.get(id(n)) ?? 0) / total - exact.get(n)! / exactTotal)).toBeLessThan(0.03);
      }
      // all visits per walk (seed included) match too
      for (const n of ['A', 'B', 'C']) expect(Math.abs((counted.get(id(n)) ?? 0) / walks - exact.get(n)!)).toBeLessThan(0.05);
      if (restart === 0) expect(exact.get('B')! / exactTotal).toBeCloseTo(8 / 9, 10);
    });

    it('relatedItems returns weighted neighbours, never hidden items, and checks its arguments', async () => {
      const res = await t.gql(`query($i: ID!) { relatedItems(itemId: $i, walks: 50, length: 3) { id item { id title } weight visits } }`, {
        i: id('A'),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.relatedItems.map((r: any) => r.item.id)).toEqual([id('B')]);
      const [b] = res.data!.relatedItems;
      expect(b.weight).toBeGreaterThan(0);
      expect(b.weight).toBeLessThanOrEqual(1);
      expect(b.item.title).toBe(id('B'));
      expect(b.id).not.toBe(id('B')); // the result's own id, not the item's

      for (const args of ['first: 101', 'walks: 201', 'length: 11', 'first: 0']) {
        const bad = await t.gql(`query($i: ID!) { relatedItems(itemId: $i, ${args}) { id } }`, { i: id('A') });
        expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      }
      for (const missing of [id('nothing'), id('x')]) {
        const nf = await t.gql(`query($i: ID!) { relatedItems(itemId: $i) { id } }`, { i: missing });
        expect(nf.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'ITEM_NOT_FOUND' });
      }
    });

    it('social walks over FRIEND edges: p -> q -> {p, r}', async () => {
      const state = await repo.walk([id('p')], 'FRIENDS', { walks: 3000, length: 2, restart: 0 });
      const v = state.visits[0];
      expect(v.get(id('q'))).toBe(3000);
      const total = 3000 + (v.get(id('r')) ?? 0);
      expect(Math.abs((v.get(id('r')) ?? 0) / total - 1 / 3)).toBeLessThan(0.03);
      const hoods = await sampling.socialWalkNeighborhoods([id('p')], { walks: 100, length: 2, topK: 5 });
      expect(hoods.get(id('p'))!.map((n) => n.id)).toEqual([id('q'), id('r')]);
    });

    it('walks from a supernode use the window and still move (cap forced small)', async () => {
      const state = await repo.walk([id('B')], 'ITEMS', { walks: 200, length: 1, restart: 0, cap: 1 });
      const v = state.visits[0];
      expect([...v.keys()].sort()).toEqual([id('A'), id('B'), id('C')]);
    });
  });

  describe('social overlap', () => {
    beforeAll(async () => {
      await graph(
        ['o1', 'o2', 'o3', 'o4'],
        ['a', 'b', 'c', 'd', 'e'],
        [
          { u: 'o1', i: 'a' },
          { u: 'o1', i: 'b' },
          { u: 'o1', i: 'c' },
          { u: 'o2', i: 'b' },
          { u: 'o2', i: 'c' },
          { u: 'o2', i: 'd' },
          { u: 'o2', i: 'a', split: 'test' },
          { u: 'o3', i: 'e' },
        ],
        [
          ['o1', 'o2'],
          ['o1', 'o3'],
          ['o3', 'o4'],
        ],
      );
    });

    it('stores the Jaccard overlap of the non-test item sets on each FRIEND edge', async () => {
      const updated = await t.app.get(MaintenanceService).refreshOverlap({ idPrefix: p });
      expect(updated).toBeGreaterThanOrEqual(3);
      const { records } = await run(
        `MATCH (a:User)-[f:FRIEND]->(b:User) WHERE a.id STARTS WITH $o AND b.id STARTS WITH $o RETURN a.id AS a, b.id AS b, f.overlap AS overlap`,
        { o: id('o') },
      );
      const got = Object.fromEntries(records.map((r) => [`${r.get('a')}|${r.get('b')}`, r.get('overlap')]));
      // o1 {a,b,c}, o2 {b,c,d} (its test pair on a left out): 2 / 4; o1-o3: 0 / 4; o3-o4 ({e}, {}): 0 / 1
      expect(got).toEqual({
        [`${id('o1')}|${id('o2')}`]: 0.5,
        [`${id('o1')}|${id('o3')}`]: 0,
        [`${id('o3')}|${id('o4')}`]: 0,
      });
    });
  });
});
