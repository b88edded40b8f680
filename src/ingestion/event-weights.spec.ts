import { eventWeightsJson, parseEventWeights, readEventWeights, resolveEventWeight } from './event-weights';

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

  it('accepts exactly what config validation accepts: no spaces, no empty entries', () => {
    expect(() => parseEventWeights('VIEW=1, LIKE=3')).toThrow('INGEST_EVENT_WEIGHTS: bad entry " LIKE=3" (want TYPE=number or TYPE=value)');
    expect(() => parseEventWeights('VIEW=1,')).toThrow(/bad entry ""/);
    expect(() => parseEventWeights('VIEW=1.')).toThrow(/bad entry/);
    expect(() => parseEventWeights('')).toThrow('INGEST_EVENT_WEIGHTS: no event types');
    expect(readEventWeights('VIEW=x')).toEqual({ error: 'bad entry "VIEW=x" (want TYPE=number or TYPE=value)', badEntry: true });
    expect(readEventWeights('VIEW=1,VIEW=2')).toEqual({ error: 'type VIEW listed twice', badEntry: false });
  });

  it('writes the table as meta.json records it, keeping `value`', () => {
    expect(eventWeightsJson(parseEventWeights('VIEW=1,LIKE=3,RATING=value,SHARE=2.5'))).toEqual({
      VIEW: 1,
      LIKE: 3,
      RATING: 'value',
      SHARE: 2.5,
    });
  });

  it('resolves an event weight: own weight wins, value types need one, unknown types fail', () => {
    expect(resolveEventWeight(w, 'LIKE', undefined)).toEqual({ weight: 3 });
    expect(resolveEventWeight(w, 'LIKE', 7)).toEqual({ weight: 7 });
    expect(resolveEventWeight(w, 'RATING', 4)).toEqual({ weight: 4 });
    expect(resolveEventWeight(w, 'RATING', null)).toEqual({ error: { field: 'weight', message: 'required for event type RATING' } });
    expect(resolveEventWeight(w, 'NOPE', 1)).toMatchObject({ error: { field: 'type' } });
  });
});
