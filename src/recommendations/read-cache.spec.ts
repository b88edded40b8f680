import { ReadCache, ReadCacheOptions } from './read-cache';

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

  it('invalidateWhere drops the entries whose value matches, and reads in flight (they may predate the change)', async () => {
    const c = make();
    await c.get('a', async () => 'keep');
    await c.get('b', async () => 'drop');
    const inFlight = deferred<string>();
    const pending = c.get('c', () => inFlight.promise);
    c.invalidateWhere((v) => v === 'drop');
    inFlight.resolve('keep');
    expect(await pending).toBe('keep'); // its callers are answered
    const again = async () => 'read again';
    expect([await c.get('a', again), await c.get('b', again), await c.get('c', again)]).toEqual(['keep', 'read again', 'read again']);
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
});
