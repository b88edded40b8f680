import { parseEventWeights, resolveEventWeight } from './event-weights';

describe('INGEST_EVENT_WEIGHTS', () => {
  const w = parseEventWeights('VIEW=1,LIKE=3,PLAY=0.5,RATING=value');

  it('parses fixed and value weights', () => {
    expect(w.get('VIEW')).toEqual({ kind: 'fixed', weight: 1 });
    expect(w.get('PLAY')).toEqual({ kind: 'fixed', weight: 0.5 });
    expect(w.get('RATING')).toEqual({ kind: 'value' });
  });

  it('rejects duplicates and bad entries', () => {
    expect(() => parseEventWeights('VIEW=1,VIEW=2')).toThrow(/listed twice/);
    expect(() => parseEventWeights('view=1')).toThrow(/bad entry/);
  });

  it('resolves an event weight: own weight wins, value types need one, unknown types fail', () => {
    expect(resolveEventWeight(w, 'LIKE', undefined)).toEqual({ weight: 3 });
    expect(resolveEventWeight(w, 'LIKE', 7)).toEqual({ weight: 7 });
    expect(resolveEventWeight(w, 'RATING', 4)).toEqual({ weight: 4 });
    expect(resolveEventWeight(w, 'RATING', null)).toEqual({ error: { field: 'weight', message: 'required for event type RATING' } });
    expect(resolveEventWeight(w, 'NOPE', 1)).toMatchObject({ error: { field: 'type' } });
  });
});
