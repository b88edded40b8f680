import { attentionKey, ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView } from '../catalogue-build';
import { UserContext } from '../recommendations.repository';
import { rowNorms } from '../scoring';
import { basedOn, EXPLAIN_MAX_FRIENDS, explainingFriends, explainPage, friendsOfItems, sentence } from './explanations';

const model = (attention: Array<[string, string, number, boolean]>, users: string[]) =>
  ({
    attention: new Map(attention.map(([a, b, w, k]) => [attentionKey(a, b), { attention: w, kept: k }])),
    userIndex: new Map(users.map((u, i) => [u, i])),
  }) as unknown as ModelArtifacts;

describe('explainingFriends', () => {
  const friends = [
    { id: 'a', name: 'Ann' },
    { id: 'b', name: 'Bob' },
    { id: 'c', name: null },
    { id: 'd', name: 'Dee' },
  ];

  it('with attention: only kept edges of friends who interacted, highest attention first', () => {
    const m = model(
      [
        ['u', 'a', 0.2, true],
        ['u', 'b', 0.5, true],
        ['u', 'c', 0.3, false],
      ],
      ['u', 'a', 'b', 'c', 'd'],
    );
    const out = explainingFriends(m, 'u', friends, new Set(['a', 'b', 'c', 'd']));
    expect(out.map((f) => f.id)).toEqual(['b', 'a']); // c dropped by the filter, d unknown to the model
    expect(out[0].attention).toBe(0.5);
  });

  it('without attention (LightGCN or a user the model never saw): every friend who interacted', () => {
    expect(explainingFriends(model([], ['u']), 'u', friends, new Set(['d', 'a'])).map((f) => f.id)).toEqual(['a', 'd']);
    const m = model([['x', 'a', 1, false]], ['x']);
    expect(explainingFriends(m, 'newcomer', friends, new Set(['a'])).map((f) => f.id)).toEqual(['a']);
  });
});

describe('sentence', () => {
  it('names items and friends', () => {
    const s = sentence(
      [
        { id: 'i1', title: 'Blue Train', similarity: 0.9 },
        { id: 'i2', title: null, similarity: 0.8 },
      ],
      [
        { id: 'a', name: 'Ann', attention: 0.5 },
        { id: 'b', name: 'Bob', attention: 0.2 },
        { id: 'c', name: null, attention: 0.1 },
      ],
      'FOLD_IN',
      false,
    );
    expect(s).toBe('Because you like Blue Train and i2, and your friends Ann, Bob and 1 other like it.');
    expect(sentence([], [{ id: 'a', name: 'Ann', attention: null }], 'FRIENDS', false)).toBe('Because your friend Ann likes it.');
    expect(sentence([], [], 'POPULAR', true)).toBe('Popular right now (new: matched by its tags).');
  });
});

describe('friendsOfItems', () => {
  it('names, per asked item, the friends who interacted with it', () => {
    const friends = [
      { id: 'b', items: ['x'] },
      { id: 'c', items: ['x', 'z'] },
      { id: 'd', items: ['z', 'gone'] },
    ];
    expect(friendsOfItems(friends, new Set(['z', 'y']))).toEqual(new Map([['z', ['c', 'd']]]));
  });
});

// model items x = (1, 0), v = (2, 1), y = (1, 1), u = (1, 2), z = (0, 1), w = (-1, 0); a new item n = (2, 0)
const itemIds = ['x', 'v', 'y', 'u', 'z', 'w'];
const itemEmb = Float32Array.from([1, 0, 2, 1, 1, 1, 1, 2, 0, 1, -1, 0]);
const embModel = {
  dim: 2,
  items: itemIds,
  itemIndex: new Map(itemIds.map((id, k) => [id, k])),
  itemEmb,
  attention: new Map(),
  userIndex: new Map(),
} as unknown as ModelArtifacts;
const slotIds = [...itemIds, 'n'];
const view = {
  itemNorms: rowNorms(itemEmb, 2),
  slots: { ids: slotIds, isNew: Uint8Array.from(slotIds, (id) => (id === 'n' ? 1 : 0)), newVectors: [Float32Array.from([2, 0])] },
} as unknown as ModelView;
const mine = (ids: string[]) => ids.map((id) => ({ id, title: id.toUpperCase(), weight: 1, lastTs: null }));

describe('basedOn', () => {
  it("the user's items nearest by cosine, positive only, at most 3, to 4 decimals", () => {
    // to x: x 1, v 2/√5, y 1/√2, u 1/√5; z 0 and w -1 are left out
    expect(basedOn(embModel, view, mine(['z', 'u', 'w', 'y', 'gone', 'v', 'x']), 0)).toEqual([
      { id: 'x', title: 'X', similarity: 1 },
      { id: 'v', title: 'V', similarity: 0.8944 },
      { id: 'y', title: 'Y', similarity: 0.7071 },
    ]);
  });

  it('a new item by its tag vector; ties by id', () => {
    const twin = {
      ...embModel,
      items: [...itemIds, 'x2'],
      itemIndex: new Map([...itemIds, 'x2'].map((id, k) => [id, k])),
      itemEmb: Float32Array.from([...itemEmb, 3, 0]),
    } as unknown as ModelArtifacts;
    const twinView = { ...view, itemNorms: rowNorms(twin.itemEmb, 2) } as unknown as ModelView;
    expect(basedOn(twin, twinView, mine(['y', 'x2', 'x']), 0).map((b) => [b.id, b.similarity])).toEqual([
      ['x', 1],
      ['x2', 1],
      ['y', 0.7071],
    ]);
    expect(basedOn(embModel, view, mine(['y', 'x']), 6).map((b) => b.id)).toEqual(['x', 'y']); // n = (2, 0)
  });
});

describe('explainPage', () => {
  const friends = Array.from({ length: 12 }, (_, n) => ({
    id: `f${String(n).padStart(2, '0')}`,
    name: `F${n}`,
    items: n < 2 ? ['x', 'y'] : ['x'],
  }));
  const ctx: UserContext = { found: true, items: mine(['v', 'y']), friends };

  it(`one explanation per page slot: the nearest of the user's items and the friends who interacted (at most ${EXPLAIN_MAX_FRIENDS} named)`, () => {
    const [x, n] = explainPage({ userId: 'me', model: embModel, view, slots: view.slots, ctx, path: 'FOLD_IN' }, [0, 6]);
    expect(x.basedOn.map((b) => b.id)).toEqual(['v', 'y']);
    expect(x.friends).toHaveLength(EXPLAIN_MAX_FRIENDS);
    expect(x.sentence).toBe('Because you like V and Y, and your friends F0, F1 and 10 others like it.');
    expect(n).toEqual({ sentence: 'Because you like V and Y (new: matched by its tags).', friends: [], basedOn: x.basedOn });
  });

  it('never names a withheld (hidden or deleted) item of the user as a reason', () => {
    const withheld = (id: string) => id === 'v';
    const [x] = explainPage({ userId: 'me', model: embModel, view, slots: view.slots, ctx, path: 'FOLD_IN', withheld }, [0]);
    expect(x.basedOn.map((b) => b.id)).toEqual(['y']);
    expect(x.sentence).not.toContain('V');
  });

  it("without a model: friends only, else popularity's sentence", () => {
    const slots = { ids: ['y', 'q'], isNew: new Uint8Array(2) };
    const [y, q] = explainPage({ userId: 'me', model: null, view: null, slots, ctx, path: 'POPULAR' }, [0, 1]);
    expect(y).toEqual({
      sentence: 'Because your friends F0 and F1 like it.',
      friends: [
        { id: 'f00', name: 'F0', attention: null },
        { id: 'f01', name: 'F1', attention: null },
      ],
      basedOn: [],
    });
    expect(q.sentence).toBe('Popular right now.');
  });
});
