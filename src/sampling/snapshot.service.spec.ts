import { cleanTag } from './snapshot.service';

describe('cleanTag', () => {
  it('keeps items.tsv parseable: no tabs, newlines or the | separator inside a tag', () => {
    expect(cleanTag('rock')).toBe('rock');
    expect(cleanTag('a\tb\nc')).toBe('a b c');
    expect(cleanTag('r|b')).toBe('r/b');
  });
});
