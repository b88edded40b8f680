import { Slots } from '../catalogue-build';
import { UserState } from '../user-state.service';
import { bestPassing, Candidates, Retrieve, scoreMoments, sparseFriendCounts, widen } from './candidates';
import { BASE_DEPTH, rankSlots, RankingInput } from './ranking';

const uv = { path: 'FOLD_IN' as const, userVec: new Float32Array(1) };

/** A retrieval over n slots whose exact order is 0, 1, 2 … (slot k scores n − k); records the widths asked. */
function ladder(n: number) {
  const asked: number[] = [];
  const retrieve: Retrieve = async (k) => {
    asked.push(k);
    const m = Math.min(k, n);
    const slots = Int32Array.from({ length: m }, (_, i) => i);
    return { uv, slots, scores: Float64Array.from(slots, (s) => n - s), exhaustive: m >= n } satisfies Candidates;
  };
  return { retrieve, asked };
}

describe('bestPassing: the best candidates that pass the mask', () => {
  const c = { slots: Int32Array.from([5, 2, 9, 7, 4]), scores: Float64Array.from([0.9, 0.5, 0.9, -Infinity, 0.7]), exhaustive: false };

  it('orders by score, ties by the lower slot (as topK), and drops masked and -Infinity slots', () => {
    expect(bestPassing(c, () => true, 3)).toEqual({ slots: [5, 9, 4], scores: [0.9, 0.9, 0.7] });
    expect(bestPassing(c, (k) => k !== 9, 3)).toEqual({ slots: [5, 4, 2], scores: [0.9, 0.7, 0.5] });
  });

  it('is null when too few pass and others were cut off; exhaustive candidates answer short', () => {
    expect(bestPassing(c, (k) => k < 5, 3)).toBeNull();
    expect(bestPassing({ ...c, exhaustive: true }, (k) => k < 5, 3)).toEqual({ slots: [4, 2], scores: [0.7, 0.5] });
  });
});

describe('widen: k doubles until enough candidates survive the masks', () => {
  it('even slots only, 3 needed from k = 2: {0} at 2, {0, 2} at 4, {0, 2, 4, 6} at 8', async () => {
    const { retrieve, asked } = ladder(100);
    const w = await widen(retrieve, (k) => k % 2 === 0, 3, 2);
    expect(asked).toEqual([2, 4, 8]);
    expect(w).toEqual({ uv, ranked: { slots: [0, 2, 4], scores: [100, 98, 96] }, complete: false, k: 8 });
  });

  it('stops at the exhaustive width and answers what passes, marked complete', async () => {
    const { retrieve, asked } = ladder(10);
    const w = await widen(retrieve, (k) => k % 5 === 0, 3, 2);
    expect(asked).toEqual([2, 4, 8, 16]);
    expect(w).toEqual({ uv, ranked: { slots: [0, 5], scores: [10, 5] }, complete: true, k: 16 });
  });

  it('gives up past maxK (the caller then scores every slot)', async () => {
    const { retrieve, asked } = ladder(1000);
    expect(await widen(retrieve, (k) => k >= 900, 1, 2, 64)).toBeNull();
    expect(asked).toEqual([2, 4, 8, 16, 32, 64]);
  });

  it('is null at once when retrieval declines (no index, or a cold user)', async () => {
    expect(
      await widen(
        async () => null,
        () => true,
        1,
        2,
      ),
    ).toBeNull();
  });
});

describe('scoreMoments: Σ scores and Σ scores² from the column sums and the Gram matrix', () => {
  it('u = (1, 2) against items (1, 0), (0, 1), (1, 1): scores 1, 2, 3 → 6 and 14', () => {
    // colSum = (2, 2), Gram = [[2, 1], [1, 2]]: u·colSum = 6, uᵀGu = (1, 2)·(4, 5) = 14
    expect(scoreMoments(Float32Array.from([1, 2]), Float64Array.from([2, 2]), Float64Array.from([2, 1, 1, 2]), 2)).toEqual({
      s1: 6,
      s2: 14,
    });
  });
});

describe('sparseFriendCounts', () => {
  it('counts per slot the friends who picked the item, ignoring items not in the slots', () => {
    const slots = {
      index: new Map([
        ['x', 0],
        ['y', 1],
        ['z', 2],
      ]),
    };
    expect([...sparseFriendCounts(slots, [{ items: ['x'] }, { items: ['x', 'z'] }, { items: ['gone'] }])]).toEqual([
      [0, 2],
      [2, 1],
    ]);
  });
});

describe('rankSlots with candidates: the same answer as scoring every slot', () => {
  function input(n: number, seen: number[], withRetrieve: boolean) {
    const ids = Array.from({ length: n }, (_, k) => `i${k}`);
    const slots = { ids, index: new Map(ids.map((id, k) => [id, k])) } as unknown as Slots;
    const state = {
      ctx: { found: true, items: [], friends: [] },
      seen: new Set(seen.map((k) => ids[k])),
      vectors: new WeakMap(),
      rankings: new WeakMap(),
    } as unknown as UserState;
    let scored = 0;
    const { retrieve, asked } = ladder(n);
    const x: RankingInput = {
      state,
      slots,
      score: async () => {
        scored++;
        return { uv, scores: Float64Array.from(ids, (_, k) => n - k) };
      },
      ...(withRetrieve ? { retrieve } : {}),
    };
    return { x, asked, scored: () => scored };
  }
  const p = { record: () => undefined, count: () => undefined };

  it('seen slots 0..9 out: the base ranking asks for BASE_DEPTH + 10 and never scores every slot', async () => {
    const seen = Array.from({ length: 10 }, (_, k) => k);
    const ann = input(5000, seen, true);
    const exact = input(5000, seen, false);
    const a = await rankSlots(ann.x, (k) => k % 3 === 0, 21, p);
    const e = await rankSlots(exact.x, (k) => k % 3 === 0, 21, p);
    expect(a).toEqual(e);
    expect(a.ranked.slots.slice(0, 3)).toEqual([12, 15, 18]);
    expect(ann.asked).toEqual([BASE_DEPTH + 10]);
    expect(ann.scored()).toBe(0);
  });

  it('a mask passing one slot in 250 widens past the kept rankings and still matches', async () => {
    const ann = input(20_000, [0], true);
    const exact = input(20_000, [0], false);
    const keep = (k: number) => k % 250 === 0;
    const a = await rankSlots(ann.x, keep, 21, p);
    expect(a).toEqual(await rankSlots(exact.x, keep, 21, p));
    expect(a.ranked.slots).toEqual(Array.from({ length: 21 }, (_, i) => (i + 1) * 250));
    expect(ann.scored()).toBe(0);
    // base 256 + 1 seen (slot 250 passes), deep 1256 + 1 (5 pass), then 2·(1256 + 1) doubling:
    // 10 pass at 2514, 20 at 5028, and the 21st (slot 5250) is in at 10 056
    expect(ann.asked).toEqual([257, 1257, 2514, 5028, 10056]);
  });

  it('a mask too narrow for MAX_CANDIDATES falls back to scoring every slot', async () => {
    const ann = input(40_000, [], true);
    const keep = (k: number) => k >= 39_990;
    const a = await rankSlots(ann.x, keep, 5, p);
    expect(a.ranked.slots).toEqual([39_990, 39_991, 39_992, 39_993, 39_994]);
    expect(ann.scored()).toBe(1);
  });
});
