import { attentionKey, ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView, Slots } from '../catalogue-build';
import { UserContext } from '../recommendations.repository';
import { UserState } from '../user-state.service';
import { blendWithPopularity, FRIENDS_SHARE, friendCounts, placeScores, scoreSlots, ScoringInput } from './scores';

describe('placeScores', () => {
  it("the model's scores, then each new item's dot product with the user's vector; -Infinity for one without a tag vector", () => {
    const s = placeScores(
      Float32Array.from([0.5, -0.25]),
      Float32Array.from([1, 2]),
      [Float32Array.from([3, 1]), null, Float32Array.from([0, 0.5])],
      2,
    );
    expect([...s]).toEqual([0.5, -0.25, 5, -Infinity, 1]);
  });
});

describe('blendWithPopularity', () => {
  it('share·minMax(score) + (1 − share)·minMax(log(1 + popularity)); -Infinity stays', () => {
    const scores = Float64Array.from([2, 4, -Infinity, 3]); // minMax: 0, 1, -, 0.5
    blendWithPopularity(scores, Float64Array.from([0, 3, 1, 7]), 0.7); // log1p: 0, 2·ln 2, ln 2, 3·ln 2 → 0, 2/3, 1/3, 1
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeCloseTo(0.7 + 0.3 * (2 / 3), 12);
    expect(scores[2]).toBe(-Infinity);
    expect(scores[3]).toBeCloseTo(0.35 + 0.3, 12);
  });
});

describe('friendCounts', () => {
  it('counts per slot how many of the friends interacted with the item; items off the slot list are ignored', () => {
    const slots = {
      ids: ['x', 'y', 'z'],
      index: new Map([
        ['x', 0],
        ['y', 1],
        ['z', 2],
      ]),
    };
    expect([...friendCounts(slots, [{ items: ['x'] }, { items: ['x', 'z'] }, { items: ['z', 'gone'] }])]).toEqual([2, 0, 2]);
  });
});

describe('scoreSlots', () => {
  const sd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  };
  /** Model items x, y, z and one new item n1 with tag vector (1, 1); user a's friends: b (kept edge), c (dropped). */
  const slots = {
    ids: ['x', 'y', 'z', 'n1'],
    index: new Map([
      ['x', 0],
      ['y', 1],
      ['z', 2],
      ['n1', 3],
    ]),
    popularity: Float64Array.from([3, 1, 0, 0]),
    newVectors: [Float32Array.from([1, 1])],
  } as unknown as Slots;
  const model = (friendsBeta: number) =>
    ({
      dim: 2,
      items: ['x', 'y', 'z'],
      itemIndex: new Map([
        ['x', 0],
        ['y', 1],
        ['z', 2],
      ]),
      userIndex: new Map([
        ['b', 0],
        ['c', 1],
      ]),
      userEmb: Float32Array.from([1, 0, 0, 1]),
      attention: new Map([
        [attentionKey('a', 'b'), { attention: 1, kept: true }],
        [attentionKey('a', 'c'), { attention: 1, kept: false }],
      ]),
      friendsBeta,
      config: {},
    }) as unknown as ModelArtifacts;
  const ctx = (items: string[]): UserContext => ({
    found: true,
    items: items.map((id) => ({ id, title: null, weight: 1, lastTs: null })),
    friends: [
      { id: 'b', name: null, items: ['y'] },
      { id: 'c', name: null, items: ['z'] },
    ],
  });
  const input = (m: ModelArtifacts | null, items: string[]): ScoringInput => ({
    userId: 'a',
    model: m,
    view: m ? ({ slots } as ModelView) : null,
    slots,
    state: { ctx: ctx(items), seen: new Set(), vectors: new WeakMap(), rankings: new WeakMap() } as UserState,
  });
  const onnx = {
    foldIn: async () => Float32Array.from([1, 2]),
    score: async () => Float32Array.from([0.5, 0.25, -0.5]),
  };
  const profile = () => {
    const stages: string[] = [];
    return { stages, record: (stage: string) => void stages.push(stage) };
  };

  it('without a model: a copy of the popularity, not timed as onnx', async () => {
    const p = profile();
    const { uv, scores } = await scoreSlots(onnx, p, input(null, ['x']));
    expect(uv).toEqual({ path: 'POPULAR', userVec: null });
    expect([...scores]).toEqual([3, 1, 0, 0]);
    expect(scores).not.toBe(slots.popularity);
    expect(p.stages).toEqual([]);
  });

  it("FOLD_IN without friends' picks (β = 0): the model's scores and the new item's dot product", async () => {
    const p = profile();
    const { uv, scores } = await scoreSlots(onnx, p, input(model(0), ['x']));
    expect(uv.path).toBe('FOLD_IN');
    expect([...scores]).toEqual([0.5, 0.25, -0.5, 3]); // n1: (1, 2)·(1, 1)
    expect(p.stages).toEqual(['onnx']);
  });

  it("FOLD_IN with friends' picks: only the item of the friend whose edge was kept moves up", async () => {
    const { scores } = await scoreSlots(onnx, profile(), input(model(0.5), ['x']));
    const w = (0.5 * sd([0.5, 0.25, -0.5, 3])) / sd([0, Math.log(2), 0, 0]);
    expect(scores[1]).toBeCloseTo(0.25 + w * Math.log(2), 12);
    expect([scores[0], scores[2], scores[3]]).toEqual([0.5, -0.5, 3]); // z: only c, whose edge was dropped
  });

  it(`FRIENDS: ${FRIENDS_SHARE} of the min-max model score from the friends' mean vector, the rest min-max log popularity; no friends' picks`, async () => {
    const { uv, scores } = await scoreSlots(onnx, profile(), input(model(0.5), []));
    expect(uv).toEqual({ path: 'FRIENDS', userVec: Float32Array.from([1, 0]) }); // b's vector alone
    // scores 0.5, 0.25, -0.5, 1 → 2/3, 1/2, 0, 1; log popularity ln 4, ln 2, 0, 0 → 1, 1/2, 0, 0
    const expected = [0.7 * (2 / 3) + 0.3, 0.35 + 0.15, 0, 0.7];
    expected.forEach((v, k) => expect(scores[k]).toBeCloseTo(v, 12));
  });
});
