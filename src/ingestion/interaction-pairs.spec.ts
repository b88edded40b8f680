import { countedEvents, EventRow, mergePairs } from './interaction-pairs';

const ev = (eventId: string | null, itemId: string, weight: number, ts: number, type = 'PLAY'): EventRow => ({
  eventId,
  userId: 'u',
  itemId,
  type,
  weight,
  ts,
});

describe('countedEvents: exactly-once by client event id', () => {
  const batch = [ev('e1', 'i1', 1, 10), ev('e2', 'i1', 2, 20), ev(null, 'i2', 1, 30), ev('e1', 'i1', 1, 10)];

  it('a first delivery counts every event once (an id repeated in the batch is one event)', () => {
    expect(countedEvents(batch, new Set(['e1', 'e2'])).map((e) => e.eventId)).toEqual(['e1', 'e2', null]);
  });

  it('a replay whose ids were all recorded counts only the events without an id', () => {
    expect(countedEvents(batch, new Set()).map((e) => e.itemId)).toEqual(['i2']);
  });

  it('a partial replay counts the fresh ids only', () => {
    expect(countedEvents(batch, new Set(['e2'])).map((e) => e.eventId)).toEqual(['e2', null]);
  });
});

describe('mergePairs', () => {
  it('adds weights and counts per pair, keeps the latest type and the time span', () => {
    const rows = mergePairs([ev('a', 'i1', 1, 20, 'VIEW'), ev('b', 'i1', 3, 10, 'LIKE'), ev('c', 'i2', 1, 5)]);
    expect(rows).toEqual([
      { userId: 'u', itemId: 'i1', weight: 4, count: 2, types: ['VIEW', 'LIKE'], type: 'VIEW', firstTs: 10, lastTs: 20 },
      { userId: 'u', itemId: 'i2', weight: 1, count: 1, types: ['PLAY'], type: 'PLAY', firstTs: 5, lastTs: 5 },
    ]);
  });
});
