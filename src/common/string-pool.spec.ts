import { StringPool } from './string-pool';

describe('StringPool', () => {
  it('gives every equal string the first object seen, and lists the distinct values', () => {
    const pool = new StringPool();
    // strings made at run time (not literals, which V8 already shares)
    const a = 'rock|indie'.split('|').map((s) => pool.of(s));
    const list = (['ro', 'ck'].join('') + '|pop'.repeat(1)).split('|').map((s) => pool.of(s));
    expect(list).toEqual(['rock', 'pop']);
    expect(pool.of(['in', 'die'].join(''))).toBe(a[1]);
    expect([...pool.values()]).toEqual(['rock', 'indie', 'pop']);
  });

  it('gives equal lists one array, exactly as long, of pooled strings', () => {
    const pool = new StringPool();
    const a = pool.list('rock|indie'.split('|'));
    const b = pool.list(['ro', 'ck'].join('').concat('|indie').split('|'));
    expect(b).toBe(a);
    expect(a).toEqual(['rock', 'indie']);
    expect(pool.list(['rock'])).not.toBe(a);
    expect(pool.list([])).toBe(pool.list([]));
    expect(pool.of(['ind', 'ie'].join(''))).toBe(a[1]);
  });
});
