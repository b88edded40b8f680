import { acceptRequestId, currentRequest, currentRequestId, isValidRequestId, runInRequest } from './request-context';

describe('request ids', () => {
  it('accepts a client id of the allowed shape and replaces anything else with a fresh UUID', () => {
    expect(acceptRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), 'new\nline', '{"json":1}', ['a', 'b']]) {
      const id = acceptRequestId(bad);
      expect(id).toMatch(uuid);
      expect(id).not.toBe(bad);
    }
    expect(acceptRequestId(undefined)).not.toBe(acceptRequestId(undefined));
    expect(isValidRequestId('x'.repeat(128))).toBe(true);
    expect(isValidRequestId(42)).toBe(false);
  });

  it('carries the id through awaits, timers and concurrent requests without mixing them', async () => {
    const seen: Array<[string, string | undefined]> = [];
    const work = async (id: string, delay: number) =>
      runInRequest({ requestId: id }, async () => {
        await new Promise((r) => setTimeout(r, delay));
        seen.push([id, currentRequestId()]);
        await Promise.resolve();
        setImmediate(() => seen.push([id, currentRequestId()]));
        await new Promise((r) => setTimeout(r, 5));
      });
    await Promise.all([work('a', 10), work('b', 1), work('c', 5)]);
    expect(seen).toHaveLength(6);
    for (const [want, got] of seen) expect(got).toBe(want);
    expect(currentRequest()).toBeUndefined();
  });

  it('lets a stage set the span on the shared store for the rest of the request', async () => {
    const store = { requestId: 'r1' };
    await runInRequest(store, async () => {
      const s = currentRequest()!;
      s.span = { fake: true } as never;
      await Promise.resolve();
      expect(currentRequest()?.span).toEqual({ fake: true });
    });
  });
});
