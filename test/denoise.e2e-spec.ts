import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { hasLastfm, loadLastfmSubset } from './support/lastfm-subset';
import { removeTrained, trainAndRegister, TrainedModel } from './support/model';

/**
 * DenoiseGCN (issue #26) is served like SocialGCN: a real trainer run on a LastFM subset, registered and promoted;
 * the friend edges its learned gates kept or dropped reach the FRIEND edges per direction (attentionOut/In,
 * attentionKeptOut/In) exactly as attention.csv says, and the model answers recommendations under its own kind.
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

  it('writes the gates onto FRIEND edges per direction: each direction kept exactly where its gate is open', async () => {
    const directed = new Map<string, { w: number; kept: boolean }>();
    for (const line of readFileSync(join(model.dir, 'attention.csv'), 'utf8').split('\n').slice(1).filter(Boolean)) {
      const [a, b, w, k] = line.split(',');
      expect(Number(w) > 0).toBe(k === '1'); // the model keeps an edge exactly when its gate is open
      directed.set(`${a}|${b}`, { w: Number(w), kept: k === '1' });
    }
    expect(directed.size).toBeGreaterThan(0);
    // FRIEND is stored once per pair: attentionOut is the start user's gate on the end user, attentionIn the reverse
    const { records } = await driver.executeQuery(
      'MATCH (a:User)-[f:FRIEND]->(b:User) WHERE a.id STARTS WITH $p RETURN a.id AS a, b.id AS b, f.attentionOut AS out, f.attentionIn AS in, f.attentionKeptOut AS keptOut, f.attentionKeptIn AS keptIn, f.attentionVersion AS v',
      { p },
    );
    expect(records.length).toBe(new Set([...directed.keys()].map((k) => k.split('|').sort().join('|'))).size);
    for (const r of records) {
      const [a, b] = [r.get('a') as string, r.get('b') as string];
      // a direction the model has no row for stays empty (null, not kept) rather than borrowing the other
      for (const [side, d] of [
        ['Out', directed.get(`${a}|${b}`)],
        ['In', directed.get(`${b}|${a}`)],
      ] as const) {
        expect(r.get(`kept${side}`)).toBe(d ? d.kept : false);
        if (d) expect(r.get(side.toLowerCase())).toBeCloseTo(d.w, 5);
        else expect(r.get(side.toLowerCase())).toBeNull();
      }
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
