import { MAX_PENDING_PREDICATES, ReadCache, ReadCacheOptions } from './read-cache';

/** A read whose completion the test controls. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('ReadCache', () => {
  let clock = 0;
  const make = (opts: Partial<ReadCacheOptions<string, string>> = {}) =>
    new ReadCache<string, string>({ ttlMs: 1_000, maxEntries: 3, now: () => clock, ...opts });
  beforeEach(() => (clock = 0));

  it('reads once per key while cached, and concurrent callers share one read', async () => {
    const c = make();
    let reads = 0;
    const load = async () => `v${++reads}`;
    const [a, b] = await Promise.all([c.get('u', load), c.get('u', load)]);
    expect([a, b, await c.get('u', load)]).toEqual(['v1', 'v1', 'v1']);
    expect(reads).toBe(1);
  });

  it('invalidate: the next get reads again', async () => {
    const c = make();
    let reads = 0;
    const load = async () => `v${++reads}`;
    await c.get('u', load);
    c.invalidate(['u']);
    expect(await c.get('u', load)).toBe('v2');
  });

  it('invalidateWhere drops the entries whose value matches; a read in flight is kept only if its value does not match', async () => {
    const c = make({ maxEntries: 10 });
    await c.get('a', async () => 'keep');
    await c.get('b', async () => 'drop');
    const inFlight = deferred<string>();
    const inFlightMatching = deferred<string>();
    const pending = c.get('c', () => inFlight.promise);
    const pendingMatching = c.get('d', () => inFlightMatching.promise);
    c.invalidateWhere((v) => v === 'drop');
    inFlight.resolve('keep');
    inFlightMatching.resolve('drop');
    expect([await pending, await pendingMatching]).toEqual(['keep', 'drop']); // its callers are answered
    const again = async () => 'read again';
    expect([await c.get('a', again), await c.get('b', again), await c.get('c', again), await c.get('d', again)]).toEqual([
      'keep',
      'read again',
      'keep',
      'read again',
    ]);
  });

  it('a read started after the invalidation is kept whatever its value; past MAX_PENDING_PREDICATES reads in flight are not kept', async () => {
    const c = make();
    const before = deferred<string>();
    const p1 = c.get('a', () => before.promise);
    c.invalidateWhere((v) => v === 'x');
    const after = deferred<string>();
    const p2 = c.get('b', () => after.promise);
    before.resolve('y');
    after.resolve('x'); // matches, but the read started after the predicate
    await Promise.all([p1, p2]);
    expect([await c.get('a', async () => 'new'), await c.get('b', async () => 'new')]).toEqual(['y', 'x']);
    const slow = deferred<string>();
    const p3 = c.get('c', () => slow.promise);
    for (let k = 0; k <= MAX_PENDING_PREDICATES; k++) c.invalidateWhere(() => false);
    slow.resolve('z');
    expect(await p3).toBe('z');
    expect(await c.get('c', async () => 'read again')).toBe('read again');
  });

  it('a read in flight when its key is invalidated is answered to its callers but not kept', async () => {
    const c = make();
    const first = deferred<string>();
    const p = c.get('u', () => first.promise); // started before the write
    c.invalidate(['u']); // the write's invalidation
    first.resolve('before-write');
    expect(await p).toBe('before-write');
    expect(await c.get('u', async () => 'after-write')).toBe('after-write');
  });

  it('a failed read is not kept', async () => {
    const c = make();
    await expect(c.get('u', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await c.get('u', async () => 'ok')).toBe('ok');
  });

  it('values the keep predicate rejects (e.g. an unknown user) are not kept', async () => {
    const c = make({ keep: (v) => v !== 'missing' });
    expect(await c.get('u', async () => 'missing')).toBe('missing');
    expect(await c.get('u', async () => 'found')).toBe('found');
    expect(await c.get('u', async () => 'other')).toBe('found');
  });

  it('past the ttl it answers the old value once while one background read replaces it', async () => {
    const c = make();
    await c.get('u', async () => 'old');
    clock = 1_500;
    const next = deferred<string>();
    let reads = 0;
    const load = () => {
      reads++;
      return next.promise;
    };
    expect(await c.get('u', load)).toBe('old');
    expect(await c.get('u', load)).toBe('old'); // still refreshing: no second read
    next.resolve('new');
    await tick();
    expect(await c.get('u', load)).toBe('new');
    expect(reads).toBe(1);
  });

  it('with ttlJitter, entries read together expire at their own times, never after the ttl', async () => {
    const draws = [0, 0.99, 0.5];
    const c = make({ ttlJitter: 0.5, random: () => draws.shift() ?? 0 });
    for (const k of ['a', 'b', 'c']) await c.get(k, async () => `${k}1`); // lives 1.0, 0.505, 0.75 of 1,000 ms
    const reads: string[] = [];
    const again = (k: string) => c.get(k, async () => (reads.push(k), `${k}2`));
    clock = 600;
    for (const k of ['a', 'b', 'c']) await again(k);
    expect(reads).toEqual(['b']);
    clock = 800;
    for (const k of ['a', 'c']) await again(k);
    expect(reads).toEqual(['b', 'c']);
    clock = 1_001;
    await again('a');
    expect(reads).toEqual(['b', 'c', 'a']);
  });

  it('a refresh that reads the same value keeps the old object (and what was derived from it)', async () => {
    const c = new ReadCache<string, { v: string }>({ ttlMs: 1_000, maxEntries: 3, now: () => clock, same: (a, b) => a.v === b.v });
    const old = await c.get('u', async () => ({ v: 'x' }));
    clock = 1_500;
    await c.get('u', async () => ({ v: 'x' }));
    await tick();
    expect(await c.get('u', async () => ({ v: 'unused' }))).toBe(old);
    clock = 3_000; // expired again: a changed value replaces it
    await c.get('u', async () => ({ v: 'y' }));
    await tick();
    expect((await c.get('u', async () => ({ v: 'unused' }))).v).toBe('y');
  });

  it('with refreshMany, expired keys are refreshed together in one read', async () => {
    const batches: string[][] = [];
    const c = new ReadCache<string, string>({
      ttlMs: 1_000,
      maxEntries: 10,
      now: () => clock,
      refreshDelayMs: 1,
      refreshMany: async (keys) => {
        batches.push(keys);
        return new Map(keys.map((k) => [k, `${k}-new`]));
      },
    });
    for (const k of ['a', 'b', 'c']) await c.get(k, async () => `${k}-old`);
    clock = 1_500;
    const unused = async () => 'unused';
    expect(await Promise.all(['a', 'b', 'c'].map((k) => c.get(k, unused)))).toEqual(['a-old', 'b-old', 'c-old']);
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(await Promise.all(['a', 'b', 'c'].map((k) => c.get(k, unused)))).toEqual(['a-new', 'b-new', 'c-new']);
    c.close();
  });

  it('a background refresh overtaken by an invalidation is dropped', async () => {
    const c = make();
    await c.get('u', async () => 'old');
    clock = 1_500;
    const next = deferred<string>();
    expect(await c.get('u', () => next.promise)).toBe('old');
    c.invalidate(['u']);
    expect(await c.get('u', async () => 'after-write')).toBe('after-write');
    next.resolve('refresh-from-before-the-write');
    await tick();
    expect(await c.get('u', async () => 'unused')).toBe('after-write');
  });

  it('keeps at most maxEntries keys, dropping the least recently used', async () => {
    const c = make();
    const load = (v: string) => async () => v;
    await c.get('a', load('a1'));
    await c.get('b', load('b1'));
    await c.get('c', load('c1'));
    await c.get('a', load('a2')); // a is now the most recent
    await c.get('d', load('d1')); // drops b
    expect(c.size).toBe(3);
    expect(await c.get('a', load('a3'))).toBe('a1');
    expect(await c.get('b', load('b2'))).toBe('b2');
  });

  describe('bounded by bytes', () => {
    /** values are strings whose size is their length */
    const sized = (maxBytes: number, maxEntries = 100) =>
      new ReadCache<string, string>({ ttlMs: 1_000, maxEntries, maxBytes, sizeOf: (v) => v.length, now: () => clock });
    const load = (v: string) => async () => v;

    it('drops the least recently used values until the kept bytes fit', async () => {
      const c = sized(10);
      await c.get('a', load('aaaa'));
      await c.get('b', load('bbbb'));
      await c.get('a', load('unused')); // a is now the most recent
      await c.get('c', load('cccc')); // 12 bytes: b goes
      expect([c.size, c.bytes]).toEqual([2, 8]);
      expect(await c.get('b', load('b2'))).toBe('b2');
      expect(await c.get('a', load('unused'))).toBe('aaaa');
    });

    it('answers a value larger than the whole bound but does not keep it', async () => {
      const c = sized(10);
      await c.get('a', load('aaaa'));
      expect(await c.get('big', load('x'.repeat(11)))).toBe('x'.repeat(11));
      expect([c.size, c.bytes]).toEqual([0, 0]); // a was dropped first, then the big value itself
      expect(await c.get('big', load('again'))).toBe('again');
    });

    it('counts reads in flight once they settle, and values that grew since (on their next use)', async () => {
      const c = new ReadCache<string, { n: number }>({ ttlMs: 1_000, maxEntries: 10, maxBytes: 10, sizeOf: (v) => v.n, now: () => clock });
      const pending = deferred<{ n: number }>();
      const p = c.get('a', () => pending.promise);
      expect(c.bytes).toBe(0);
      pending.resolve({ n: 4 });
      const a = await p;
      expect(c.bytes).toBe(4);
      await c.get('b', async () => ({ n: 4 }));
      a.n = 7; // derived data added to a kept value
      await c.get('a', async () => ({ n: 0 }));
      expect(c.bytes).toBe(7); // b went (7 + 4 > 10); a, just used, stays
      expect(c.size).toBe(1);
    });

    it('uncounts what invalidate, invalidateWhere, clear, failed refreshes and replacements remove', async () => {
      const c = sized(100);
      await c.get('a', load('aaaa'));
      await c.get('b', load('bb'));
      c.invalidate(['a']);
      expect(c.bytes).toBe(2);
      c.invalidateWhere((v) => v === 'bb');
      expect(c.bytes).toBe(0);
      await c.get('a', load('aaaa'));
      clock = 1_500; // expired: a background read replaces it with a longer value
      await c.get('a', load('aaaaaaaa'));
      await tick();
      expect(c.bytes).toBe(8);
      c.clear();
      expect([c.size, c.bytes]).toEqual([0, 0]);
    });

    it('never keeps more than the bound under random use (property)', async () => {
      const c = sized(50, 1_000);
      let seed = 7;
      const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
      for (let k = 0; k < 2_000; k++) {
        const key = `k${rand(40)}`;
        const op = rand(10);
        if (op === 0) c.invalidate([key]);
        else await c.get(key, load('v'.repeat(rand(30))));
        expect(c.bytes).toBeLessThanOrEqual(50);
      }
    });
  });

  it('maxAgeMs (setLifetime) is a hard bound: an older entry is read again while the caller waits, even after a failed refresh', async () => {
    const c = make();
    let reads = 0;
    let fail = false;
    const load = async () => {
      reads++;
      if (fail) throw new Error('down');
      return `v${reads}`;
    };
    await c.get('u', load);
    c.setLifetime(100, 100);
    clock = 101;
    expect(await c.get('u', load)).toBe('v2'); // not the stale v1
    c.setLifetime(50, 200);
    clock = 160;
    fail = true;
    expect(await c.get('u', load)).toBe('v2'); // past the ttl, within the bound: stale-while-revalidate
    await tick();
    clock = 302;
    await expect(c.get('u', load)).rejects.toThrow('down'); // the failed refresh did not make v2 look fresh
  });
});
