import { Slots } from '../catalogue-build';
import { UserState } from '../user-state.service';
import { BASE_DEPTH, baseRanking, DEEP_DEPTH, fullRanking, rankSlots, RankingInput, takeRanked } from './ranking';

function profile() {
  const stages: string[] = [];
  const counts: string[] = [];
  return { stages, counts, record: (stage: string) => void stages.push(stage), count: (event: string) => void counts.push(event) };
}

/** Slots i0..i{n-1} scored by `score(k)`; the user has seen `seen`. */
function ranking(n: number, score: (k: number) => number, seen: number[] = []) {
  const ids = Array.from({ length: n }, (_, k) => `i${k}`);
  const slots = { ids, index: new Map(ids.map((id, k) => [id, k])) } as unknown as Slots;
  const state = {
    ctx: { found: true, items: [], friends: [] },
    seen: new Set(seen.map((k) => ids[k])),
    vectors: new WeakMap(),
    rankings: new WeakMap(),
  } as unknown as UserState;
  let scored = 0;
  const input: RankingInput = {
    state,
    slots,
    score: async () => {
      scored++;
      return { uv: { path: 'FOLD_IN', userVec: null }, scores: Float64Array.from(ids, (_, k) => score(k)) };
    },
  };
  return { input, scored: () => scored };
}

describe('takeRanked: a page from a kept ranking after the request’s own exclusions', () => {
  const base = { order: Int32Array.from([4, 2, 7, 1, 3]), scores: Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5]), complete: false };

  it('keeps the ranking order and scores of the slots that pass', () => {
    expect(takeRanked(base, (k) => k !== 2, 3)).toEqual({ slots: [4, 7, 1], scores: [0.9, 0.7, 0.6] });
  });

  it('is null when a cut-off ranking runs out (the caller ranks deeper)', () => {
    expect(takeRanked(base, (k) => k > 3, 3)).toBeNull();
  });

  it('a complete ranking answers with what passes, even if short', () => {
    expect(takeRanked({ ...base, complete: true }, (k) => k > 3, 3)).toEqual({ slots: [4, 7], scores: [0.9, 0.7] });
  });
});

describe('baseRanking: the user’s best slots, seen ones left out, kept with their state', () => {
  const scores = [0.1, 0.9, 0.5, 0.7, 0.3];

  it('ranks the top `depth` once, then answers from the kept ranking; a deeper ask ranks again', async () => {
    const { input, scored } = ranking(5, (k) => scores[k], [1]);
    const p = profile();
    const r = await baseRanking(input, 2, p);
    expect({ ...r, order: [...r.order], scores: [...r.scores] }).toEqual({
      path: 'FOLD_IN',
      userVec: null,
      order: [3, 2],
      scores: [0.7, 0.5],
      complete: false,
    });
    expect(await baseRanking(input, 2, p)).toBe(r);
    expect(await baseRanking(input, 1, p)).toBe(r);
    const deeper = await baseRanking(input, 10, p);
    expect([...deeper.order]).toEqual([3, 2, 4, 0]);
    expect(deeper.complete).toBe(true); // every finite score is in it: any depth is answered from it
    expect(await baseRanking(input, 1_000, p)).toBe(deeper);
    expect(scored()).toBe(2);
    expect(p.counts).toEqual(['ranking-computed', 'ranking-cached', 'ranking-cached', 'ranking-computed', 'ranking-cached']);
    expect(p.stages).toEqual(['rank', 'rank']);
  });

  it('a failed scoring is not kept', async () => {
    const { input } = ranking(5, (k) => scores[k]);
    const failing = { ...input, score: () => Promise.reject(new Error('onnx down')) };
    await expect(baseRanking(failing, 2, profile())).rejects.toThrow('onnx down');
    expect([...(await baseRanking(input, 2, profile())).order]).toEqual([1, 3]);
  });
});

describe('fullRanking', () => {
  it('every slot through the seen items and the mask, down to `need`', async () => {
    const { input } = ranking(6, (k) => 6 - k, [0]);
    const p = profile();
    expect(await fullRanking(input, (k) => k % 2 === 0, 2, p)).toEqual({ slots: [2, 4], scores: [4, 2] });
    expect(p.counts).toEqual(['ranking-full']);
  });
});

describe('rankSlots: the kept ranking, then the deeper one, then every slot', () => {
  const n = 2_000;
  const descending = (k: number) => n - k;

  it(`a page within the top ${BASE_DEPTH} after the mask is scored once and then served from the kept ranking`, async () => {
    const { input, scored } = ranking(n, descending, [1]);
    const p = profile();
    const { path, ranked } = await rankSlots(input, (k) => k !== 2, 3, p);
    expect(path).toBe('FOLD_IN');
    expect(ranked).toEqual({ slots: [0, 3, 4], scores: [2000, 1997, 1996] });
    await rankSlots(input, () => true, 3, p);
    expect(scored()).toBe(1);
    expect(p.counts).toEqual(['ranking-computed', 'ranking-cached']);
  });

  it(`a mask that passes nothing in the top ${BASE_DEPTH} takes the ${DEEP_DEPTH}-deep ranking`, async () => {
    const { input } = ranking(n, descending);
    const p = profile();
    expect((await rankSlots(input, (k) => k >= 300, 2, p)).ranked.slots).toEqual([300, 301]);
    expect(p.counts).toEqual(['ranking-computed', 'ranking-computed']);
  });

  it(`past the deep ranking, every slot is ranked through the mask`, async () => {
    const { input, scored } = ranking(n, descending, [1500]);
    const p = profile();
    expect((await rankSlots(input, (k) => k >= 1500, 2, p)).ranked).toEqual({ slots: [1501, 1502], scores: [499, 498] });
    expect(p.counts).toEqual(['ranking-computed', 'ranking-computed', 'ranking-full']);
    expect(scored()).toBe(3);
  });
});
