import { topVisited, WalkState } from './walks';

describe('WalkState', () => {
  it('groups walkers by node, hands out moves in order and counts visits per seed', () => {
    const s = new WalkState(['a', 'b'], 2);
    expect(s.groups()).toEqual([
      { id: 'a', n: 2 },
      { id: 'b', n: 2 },
    ]);
    s.advance([
      { cur: 'a', next: 'x' },
      { cur: 'a', next: 'y' },
      { cur: 'b', next: 'x' },
    ]);
    // the second walker of b had no move: back to b, no visit
    expect(s.groups().sort((p, q) => p.id.localeCompare(q.id))).toEqual([
      { id: 'b', n: 1 },
      { id: 'x', n: 2 },
      { id: 'y', n: 1 },
    ]);
    expect(Object.fromEntries(s.visits[0])).toEqual({ x: 1, y: 1 });
    expect(Object.fromEntries(s.visits[1])).toEqual({ x: 1 });
  });

  it('restarts walkers at their seed with the given probability', () => {
    const s = new WalkState(['a'], 3, () => 0);
    s.advance([
      { cur: 'a', next: 'x' },
      { cur: 'a', next: 'x' },
      { cur: 'a', next: 'x' },
    ]);
    s.restart(0.5);
    expect(s.groups()).toEqual([{ id: 'a', n: 3 }]);
  });
});

describe('topVisited', () => {
  it('drops the seed and skipped ids, sorts by visits then id, weights by all non-seed visits', () => {
    const v = new Map([
      ['s', 5],
      ['a', 2],
      ['b', 4],
      ['c', 2],
      ['h', 2],
    ]);
    expect(topVisited(v, 's', 3, (id) => id === 'h')).toEqual([
      { id: 'b', visits: 4, weight: 0.4 },
      { id: 'a', visits: 2, weight: 0.2 },
      { id: 'c', visits: 2, weight: 0.2 },
    ]);
    expect(topVisited(new Map([['s', 3]]), 's', 5)).toEqual([]);
  });
});
