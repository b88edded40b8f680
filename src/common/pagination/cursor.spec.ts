import { CursorCodec, keysetCursor, keysetPage, offsetCursor, offsetPage } from './cursor';

describe('cursors', () => {
  const runs = offsetCursor('trainingRuns');

  it('round-trip their payload; no cursor is null', () => {
    expect(runs.decode(runs.encode(40))).toBe(40);
    expect(runs.decode(null)).toBeNull();
    expect(runs.decode(undefined)).toBeNull();
    const ids = keysetCursor('friends');
    expect(ids.decode(ids.encode('ü-ñ/"x"'))).toBe('ü-ñ/"x"');
  });

  it('are opaque base64url', () => {
    expect(runs.encode(3)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuse garbage, another list, another version or a bad payload with INVALID_CURSOR on the field', () => {
    const other = keysetCursor('interactions').encode('abc');
    const wrongVersion = Buffer.from(JSON.stringify({ c: 0, l: 'trainingRuns', p: 1 })).toString('base64url');
    const negative = Buffer.from(JSON.stringify({ c: 1, l: 'trainingRuns', p: -1 })).toString('base64url');
    for (const bad of [
      '',
      '!!!',
      'not a cursor',
      other,
      wrongVersion,
      negative,
      Buffer.from('k:abc').toString('base64url'),
      'A'.repeat(5000),
    ]) {
      expect(() => runs.decode(bad, 'after')).toThrow(
        expect.objectContaining({
          category: 'BAD_USER_INPUT',
          reason: 'INVALID_CURSOR',
          details: [{ field: 'after', message: 'not a cursor from trainingRuns' }],
        }),
      );
    }
  });

  it('keysetPage shows first rows and knows from the extra row whether there is a next page', () => {
    const codec = new CursorCodec<string>('things', (p): p is string => typeof p === 'string');
    const rows = ['a', 'b', 'c'].map((id) => ({ id }));
    const p = keysetPage(codec, rows, 2, (r) => r.id);
    expect(p.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(p.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: p.edges[0].cursor, endCursor: p.edges[1].cursor });
    expect(codec.decode(p.pageInfo.endCursor)).toBe('b');
    expect(keysetPage(codec, rows.slice(0, 2), 2, (r) => r.id).pageInfo.hasNextPage).toBe(false);
    expect(keysetPage(codec, [], 2, (r: { id: string }) => r.id).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
    // A page asked for with a cursor has rows before it.
    expect(keysetPage(codec, rows.slice(2), 2, (r) => r.id, p.pageInfo.endCursor).pageInfo).toMatchObject({
      hasPreviousPage: true,
      hasNextPage: false,
    });
  });

  it('offsetPage: each cursor is the offset after its row; previous rows exist past offset 0', () => {
    const runs = offsetCursor('runs');
    const first = offsetPage(runs, ['a', 'b'], 0, true);
    expect(first.edges.map((e) => runs.decode(e.cursor))).toEqual([1, 2]);
    expect(first.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.edges[0].cursor,
      endCursor: first.edges[1].cursor,
    });
    const second = offsetPage(runs, ['c'], runs.decode(first.pageInfo.endCursor)!, false);
    expect(runs.decode(second.pageInfo.startCursor)).toBe(3);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
