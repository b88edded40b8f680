import { OBJECT_BYTES, ownedSetBytes, sharedSetBytes, stringBytes, typedArrayBytes, userContextBytes } from './cache-size';
import { UserState, userStateBytes, addDerivedBytes, DERIVED_MAX_BYTES } from './user-state.service';

describe('cache size estimates', () => {
  it('count strings at two bytes a character and typed arrays by their bytes', () => {
    expect(stringBytes('abcd')).toBe(16 + 8);
    expect(stringBytes(null)).toBe(0);
    expect(typedArrayBytes(new Float64Array(100))).toBe(OBJECT_BYTES + 800);
    expect(typedArrayBytes(null)).toBe(0);
  });

  it('grow a user context with its items, friends and friends’ items', () => {
    const empty = userContextBytes({ found: true, items: [], friends: [] });
    const item = { id: 'i-0001', title: 'A title', weight: 1, lastTs: null };
    const one = userContextBytes({ found: true, items: [item], friends: [] });
    expect(one - empty).toBe(OBJECT_BYTES + 8 + stringBytes('i-0001') + stringBytes('A title'));
    const friend = (n: number) => ({ id: 'f', name: null, items: Array.from({ length: n }, (_, k) => `i${k}`) });
    const small = userContextBytes({ found: true, items: [], friends: [friend(10)] });
    const big = userContextBytes({ found: true, items: [], friends: [friend(1_000)] });
    expect(big - small).toBeGreaterThan(990 * (8 + 16 + 2 * 2));
  });

  it('count sets by their entries (and owned ids)', () => {
    expect(sharedSetBytes(10)).toBe(OBJECT_BYTES + 400);
    expect(ownedSetBytes(['ab', 'cd'])).toBe(OBJECT_BYTES + 2 * (40 + stringBytes('ab')));
  });

  it('count derived vectors and rankings as they are added, up to what live ones can reach', () => {
    const state = { readBytes: 1_000, derivedBytes: 0 } as UserState;
    addDerivedBytes(state, 3_000);
    expect(userStateBytes(state)).toBe(4_000);
    for (let k = 0; k < 1_000; k++) addDerivedBytes(state, 3_000);
    expect(userStateBytes(state)).toBe(1_000 + DERIVED_MAX_BYTES);
  });
});
