import { attentionKey, ModelArtifacts } from '../../model-registry/artifacts';
import { ContextItem, UserContext } from '../recommendations.repository';
import { UserState } from '../user-state.service';
import { computeUserVector, FOLDIN_MAX_ITEMS, foldInWeights, keptFriends, modelFriends, userVector } from './user-vector';

const DAY = 86_400_000;
const item = (id: string, weight = 1, lastTs: number | null = null): ContextItem => ({ id, title: null, weight, lastTs });

/** dim 2; users b = (1, 0), c = (0, 1), e = (1, 1); user a's edges: b kept (0.75), c kept (0.25), e dropped. */
function fakeModel(itemIds = ['x', 'y'], config: Record<string, unknown> = {}) {
  return {
    dim: 2,
    items: itemIds,
    itemIndex: new Map(itemIds.map((id, i) => [id, i])),
    userIndex: new Map([
      ['b', 0],
      ['c', 1],
      ['e', 2],
    ]),
    userEmb: Float32Array.from([1, 0, 0, 1, 1, 1]),
    attention: new Map([
      [attentionKey('a', 'b'), { attention: 0.75, kept: true }],
      [attentionKey('a', 'c'), { attention: 0.25, kept: true }],
      [attentionKey('a', 'e'), { attention: 0.9, kept: false }],
    ]),
    config,
  } as unknown as ModelArtifacts;
}
const friend = (id: string, items: string[] = []) => ({ id, name: null, items });
const ctx = (items: ContextItem[], friendIds: string[]): UserContext => ({ found: true, items, friends: friendIds.map((f) => friend(f)) });

function fakeOnnx() {
  const calls: Array<{ items: number[]; weights: number[]; friends: number[] }> = [];
  return {
    calls,
    foldIn: async (_m: ModelArtifacts, items: number[], weights: number[], friends: number[]) => {
      calls.push({ items, weights, friends });
      return Float32Array.from([9, 9]);
    },
  };
}

describe('foldInWeights: the weights the model was trained with', () => {
  const at = 100 * DAY;
  it('binary: 1 for every item', () => {
    expect(foldInWeights(fakeModel(), [item('x', 5), item('y', 0)], at)).toEqual([1, 1]);
  });

  it('edge weights, floored at 1e-6, decayed by exp(-λ·days) since the last interaction (never grown by a future one)', () => {
    const m = fakeModel(['x'], { edge_weight: 'weight', time_decay_lambda: 0.5 });
    const w = foldInWeights(m, [item('x', 4, at - 2 * DAY), item('y', 0, at), item('z', 3, null), item('t', 2, at + DAY)], at);
    expect(w[0]).toBeCloseTo(4 * Math.exp(-1), 12);
    expect(w.slice(1)).toEqual([1e-6, 3, 2]);
  });
});

describe('friends as the model sees them', () => {
  const m = fakeModel();
  const friends = [friend('b', ['x']), friend('c', ['x', 'z']), friend('d', ['z']), friend('e')];

  it('keptFriends drops the edges the attention filter dropped; friends the model never saw count unweighted', () => {
    expect(keptFriends(m, 'a', friends)).toEqual([
      { ...friends[0], attention: 0.75 },
      { ...friends[1], attention: 0.25 },
      { ...friends[2], attention: null },
    ]);
  });

  it('modelFriends: only those the model has a vector for, heaviest first', () => {
    expect(modelFriends(m, 'a', { found: true, items: [], friends: [friends[1], friends[2], friends[0]] })).toEqual([
      { id: 'b', index: 0, weight: 0.75 },
      { id: 'c', index: 1, weight: 0.25 },
    ]);
  });
});

describe('computeUserVector', () => {
  it("FOLD_IN: the user's items the model knows (in order) and its friends, through the encoder", async () => {
    const onnx = fakeOnnx();
    const uv = await computeUserVector(onnx, fakeModel(), 'a', ctx([item('y'), item('gone'), item('x')], ['c', 'e', 'b']));
    expect(uv).toEqual({ path: 'FOLD_IN', userVec: Float32Array.from([9, 9]) });
    expect(onnx.calls).toEqual([{ items: [1, 0], weights: [1, 1], friends: [0, 1] }]);
  });

  it(`FOLD_IN reads at most ${FOLDIN_MAX_ITEMS} items`, async () => {
    const onnx = fakeOnnx();
    const ids = Array.from({ length: FOLDIN_MAX_ITEMS + 50 }, (_, n) => `i${n}`);
    await computeUserVector(
      onnx,
      fakeModel(ids),
      'a',
      ctx(
        ids.map((id) => item(id)),
        [],
      ),
    );
    expect(onnx.calls[0].items).toHaveLength(FOLDIN_MAX_ITEMS);
    expect(onnx.calls[0].friends).toEqual([]);
  });

  it("FRIENDS: no item the model knows, the attention-weighted mean of the friends' vectors", async () => {
    const onnx = fakeOnnx();
    const uv = await computeUserVector(onnx, fakeModel(), 'a', ctx([item('gone')], ['b', 'c', 'e']));
    expect(uv.path).toBe('FRIENDS');
    expect([...uv.userVec!]).toEqual([0.75, 0.25]); // (0.75·(1, 0) + 0.25·(0, 1)) / 1; e's edge dropped
    expect(onnx.calls).toEqual([]);
  });

  it('POPULAR: neither items nor friends the model knows', async () => {
    expect(await computeUserVector(fakeOnnx(), fakeModel(), 'a', ctx([], ['e', 'd']))).toEqual({ path: 'POPULAR', userVec: null });
  });
});

describe('userVector', () => {
  const state = (c: UserContext) => ({ ctx: c, seen: new Set(), vectors: new WeakMap(), rankings: new WeakMap() }) as UserState;

  it('is computed once per model and user state', async () => {
    const onnx = fakeOnnx();
    const m = fakeModel();
    const s = state(ctx([item('x')], []));
    const first = userVector(onnx, m, 'a', s);
    expect(userVector(onnx, m, 'a', s)).toBe(first);
    await first;
    expect(onnx.calls).toHaveLength(1);
    await userVector(onnx, fakeModel(), 'a', s); // another model
    expect(onnx.calls).toHaveLength(2);
  });

  it('a failed fold-in is not kept: the next request tries again', async () => {
    const m = fakeModel();
    const s = state(ctx([item('x')], []));
    await expect(userVector({ foldIn: async () => Promise.reject(new Error('onnx down')) }, m, 'a', s)).rejects.toThrow('onnx down');
    expect((await userVector(fakeOnnx(), m, 'a', s)).path).toBe('FOLD_IN');
  });
});
