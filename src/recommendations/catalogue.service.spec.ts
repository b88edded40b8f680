import { sameRows } from './catalogue.service';

describe('sameRows: an unchanged catalogue re-read keeps the derived views', () => {
  const row = (id: string, popularity = 1, tags = ['rock']) => ({ id, title: `T ${id}`, tags, hidden: false, popularity });
  it('equal rows in the same order are the same', () => {
    expect(sameRows([row('a'), row('b')], [row('a'), row('b')])).toBe(true);
  });
  it('any changed field, tag, order or length is a change', () => {
    const base = [row('a'), row('b')];
    expect(sameRows(base, [row('a'), row('b', 2)])).toBe(false);
    expect(sameRows(base, [row('a'), row('b', 1, ['rock', 'live'])])).toBe(false);
    expect(sameRows(base, [row('a'), { ...row('b'), hidden: true }])).toBe(false);
    expect(sameRows(base, [row('a'), { ...row('b'), title: null }])).toBe(false);
    expect(sameRows(base, [row('b'), row('a')])).toBe(false);
    expect(sameRows(base, [row('a')])).toBe(false);
  });
});
