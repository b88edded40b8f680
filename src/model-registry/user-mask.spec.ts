import { attentionKey } from './artifacts';
import { maskUsers } from './user-mask';

const model = () => ({
  users: ['a', 'b', 'c'],
  userIndex: new Map([
    ['a', 0],
    ['b', 1],
    ['c', 2],
  ]),
  dim: 2,
  userEmb: Float32Array.from([1, 2, 3, 4, 5, 6]),
  attention: new Map([
    [attentionKey('a', 'b'), { attention: 0.5, kept: true }],
    [attentionKey('b', 'c'), { attention: 0.3, kept: true }],
    [attentionKey('c', 'a'), { attention: 0.2, kept: false }],
  ]),
});

describe('maskUsers', () => {
  it("drops a deleted user's id, vector and every attention row naming them; the others stay", () => {
    const m = model();
    expect(maskUsers(m, ['b', 'zz'])).toBe(1);
    expect(m.users).toEqual(['a', '', 'c']);
    expect([...m.userIndex.keys()]).toEqual(['a', 'c']);
    expect([...m.userEmb]).toEqual([1, 2, 0, 0, 5, 6]);
    expect([...m.attention.keys()]).toEqual([attentionKey('c', 'a')]);
  });

  it('is idempotent, and masks nothing for users the model does not hold', () => {
    const m = model();
    maskUsers(m, ['a']);
    expect(maskUsers(m, ['a'])).toBe(0);
    expect(maskUsers(m, [])).toBe(0);
    expect(m.users).toEqual(['', 'b', 'c']);
    expect([...m.attention.keys()]).toEqual([attentionKey('b', 'c')]);
  });
});
