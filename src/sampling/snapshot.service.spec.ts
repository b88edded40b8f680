import { cleanTag, eventWeightsOf } from './snapshot.service';

describe('eventWeightsOf', () => {
  it('reads INGEST_EVENT_WEIGHTS into an object, keeping `value`', () => {
    expect(eventWeightsOf('VIEW=1,LIKE=3,RATING=value,SHARE=2.5')).toEqual({ VIEW: 1, LIKE: 3, RATING: 'value', SHARE: 2.5 });
  });
});

describe('cleanTag', () => {
  it('keeps items.tsv parseable: no tabs, newlines or the | separator inside a tag', () => {
    expect(cleanTag('rock')).toBe('rock');
    expect(cleanTag('a\tb\nc')).toBe('a b c');
    expect(cleanTag('r|b')).toBe('r/b');
  });
});
