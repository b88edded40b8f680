import { decodeRecCursor, encodeRecCursor, queryHash } from './cursor';

describe('recommendation cursors', () => {
  const q = queryHash(['u1', 'ACTIVE', [], [], []]);

  it('round-trips the offset for the same version and query', () => {
    expect(decodeRecCursor(encodeRecCursor('v1', 40, q), 'v1', q)).toBe(40);
    expect(decodeRecCursor(null, 'v1', q)).toBe(0);
  });

  it('STALE_CURSOR for another model version, INVALID_CURSOR for another query or garbage', () => {
    const c = encodeRecCursor('v1', 20, q);
    expect(() => decodeRecCursor(c, 'v2', q)).toThrow(expect.objectContaining({ reason: 'STALE_CURSOR', category: 'BAD_USER_INPUT' }));
    expect(() => decodeRecCursor(c, 'v1', queryHash(['u2']))).toThrow(expect.objectContaining({ reason: 'INVALID_CURSOR' }));
    for (const bad of [
      '',
      '!!!',
      Buffer.from('rec1:{"v":1}').toString('base64url'),
      Buffer.from('k:abc').toString('base64url'),
      Buffer.from('rec1:{"v":"v1","o":-1,"q":"x"}').toString('base64url'),
    ]) {
      expect(() => decodeRecCursor(bad, 'v1', q)).toThrow(expect.objectContaining({ reason: 'INVALID_CURSOR' }));
    }
  });
});
