import { attentionKey, ModelArtifacts } from '../model-registry/artifacts';
import { explainingFriends, sentence } from './explanations';

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
    const m = model([['u', 'a', 0.2, true], ['u', 'b', 0.5, true], ['u', 'c', 0.3, false]], ['u', 'a', 'b', 'c', 'd']);
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
      [{ id: 'i1', title: 'Blue Train', similarity: 0.9 }, { id: 'i2', title: null, similarity: 0.8 }],
      [{ id: 'a', name: 'Ann', attention: 0.5 }, { id: 'b', name: 'Bob', attention: 0.2 }, { id: 'c', name: null, attention: 0.1 }],
      'FOLD_IN',
      false,
    );
    expect(s).toBe('Because you like Blue Train and i2, and your friends Ann, Bob and 1 other like it.');
    expect(sentence([], [{ id: 'a', name: 'Ann', attention: null }], 'FRIENDS', false)).toBe('Because your friend Ann likes it.');
    expect(sentence([], [], 'POPULAR', true)).toBe('Popular right now (new: matched by its tags).');
  });
});
