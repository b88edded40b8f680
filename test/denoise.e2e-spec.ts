import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { hasLastfm, loadLastfmSubset } from './support/lastfm-subset';
import { removeTrained, trainAndRegister, TrainedModel } from './support/model';

/**
 * DenoiseGCN (issue #26) is served like SocialGCN: a real trainer run on a LastFM subset, registered and promoted;
 * the friend edges its learned gates kept or dropped reach the FRIEND edges (attention, attentionKept) exactly as
 * attention.csv says, and the model answers recommendations under its own kind.
 */
(hasLastfm() ? describe : describe.skip)('DenoiseGCN: learned friend-edge gates served like SocialGCN', () => {
  let t: TestApp;
  let driver: Driver;
  let model: TrainedModel;
  const p = testPrefix('denoise');

  beforeAll(async () => {
    driver = testDriver();
    await loadLastfmSubset(driver, p, 120);
    t = await startApp();
    // a low initial gate logit so that the 10 epochs end with some gates shut and some open
    model = await trainAndRegister(t.app, { idPrefix: p, kind: 'DENOISEGCN', epochs: 10, extraArgs: ['--edge-gate-init', '-2.3'] });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await cleanup(driver, p);
    await driver.close();
    removeTrained(model);
  });

  it('writes the gates onto FRIEND edges: kept exactly where the gate of either direction is open', async () => {
    const pairs = new Map<string, { w: number[]; kept: boolean }>();
    for (const line of readFileSync(join(model.dir, 'attention.csv'), 'utf8').split('\n').slice(1).filter(Boolean)) {
      const [a, b, w, k] = line.split(',');
      expect(Number(w) > 0).toBe(k === '1'); // the model keeps an edge exactly when its gate is open
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      const e = pairs.get(key) ?? { w: [], kept: false };
      e.w.push(Number(w));
      e.kept ||= k === '1';
      pairs.set(key, e);
    }
    expect(pairs.size).toBeGreaterThan(0);
    const { records } = await driver.executeQuery(
      'MATCH (a:User)-[f:FRIEND]->(b:User) WHERE a.id STARTS WITH $p RETURN a.id AS a, b.id AS b, f.attention AS w, f.attentionKept AS kept, f.attentionVersion AS v',
      { p },
    );
    expect(records.length).toBe(pairs.size);
    for (const r of records) {
      const [a, b] = [r.get('a') as string, r.get('b') as string];
      const e = pairs.get(a < b ? `${a}|${b}` : `${b}|${a}`)!;
      expect(r.get('kept')).toBe(e.kept);
      expect(r.get('w')).toBeCloseTo(e.w.reduce((s, x) => s + x, 0) / e.w.length, 5);
      expect(r.get('v')).toBe(model.version.id);
    }
  });

  it('serves recommendations under model: DENOISEGCN', async () => {
    const res = await t.gql(
      `query($u: ID!) { recommendations(userId: $u, first: 5, model: DENOISEGCN) { modelKind edges { node { id } } } }`,
      {
        u: `${p}u3`,
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.recommendations.modelKind).toBe('DENOISEGCN');
    expect(res.data!.recommendations.edges).toHaveLength(5);
  });
});
