import { Slots } from '../catalogue-build';
import { excludeSeen, maskScores, requestMask } from './exclusions';

describe('excludeSeen', () => {
  it('scores the seen items -Infinity; seen items off the slot list change nothing', () => {
    const scores = Float64Array.from([1, 2, 3]);
    excludeSeen(
      scores,
      {
        index: new Map([
          ['x', 0],
          ['y', 1],
          ['z', 2],
        ]),
      },
      new Set(['y', 'gone']),
    );
    expect([...scores]).toEqual([1, -Infinity, 3]);
  });
});

describe('requestMask', () => {
  // a: hidden (live set); d: hidden as of the last catalogue read only
  const slots = {
    ids: ['a', 'b', 'c', 'd'],
    tags: [['rock'], ['jazz', 'live'], ['jazz'], []],
    hidden: Uint8Array.from([0, 0, 0, 1]),
  } as unknown as Slots;
  const live = { ids: new Set(['a']), complete: true };
  const mask = (hidden: typeof live, over: { excludeIds?: string[]; include?: string[]; exclude?: string[] } = {}) => {
    const keep = requestMask(slots, hidden, {
      excludeIds: new Set(over.excludeIds ?? []),
      include: over.include ?? [],
      exclude: over.exclude ?? [],
    });
    return [0, 1, 2, 3].map(keep);
  };

  it("drops the live hidden set, and the catalogue's flags only when that set was capped", () => {
    expect(mask(live)).toEqual([false, true, true, true]);
    expect(mask({ ...live, complete: false })).toEqual([false, true, true, false]);
  });

  it('drops excluded ids', () => {
    expect(mask(live, { excludeIds: ['c', 'nowhere'] })).toEqual([false, true, false, true]);
  });

  it('keeps items with some included tag and no excluded one', () => {
    expect(mask(live, { include: ['jazz'] })).toEqual([false, true, true, false]);
    expect(mask(live, { include: ['jazz'], exclude: ['live'] })).toEqual([false, false, true, false]);
    expect(mask(live, { exclude: ['live'] })).toEqual([false, false, true, true]);
  });
});

describe('maskScores', () => {
  it('scores what the mask drops -Infinity', () => {
    const scores = Float64Array.from([1, -Infinity, 3, 4]);
    maskScores(scores, (k) => k !== 2);
    expect([...scores]).toEqual([1, -Infinity, -Infinity, 4]);
  });
});
