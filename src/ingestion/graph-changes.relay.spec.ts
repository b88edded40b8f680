import { parseRelayedChange } from './graph-changes.relay';

describe('parseRelayedChange: a message on the change feed channel', () => {
  it('reads each kind of change with its origin and bookmarks', () => {
    const msg = (change: unknown) => JSON.stringify({ origin: 'a', change, bookmarks: ['FB:kcwQ'] });
    expect(parseRelayedChange(msg({ kind: 'userEdges', userIds: ['u1'] }))).toEqual({
      origin: 'a',
      bookmarks: ['FB:kcwQ'],
      change: { kind: 'userEdges', userIds: ['u1'] },
    });
    expect(parseRelayedChange(msg({ kind: 'itemsDeleted', itemIds: ['i1'], extra: 1 }))?.change).toEqual({
      kind: 'itemsDeleted',
      itemIds: ['i1'],
    });
    expect(parseRelayedChange(msg({ kind: 'everything' }))?.change).toEqual({ kind: 'everything' });
    expect(parseRelayedChange(msg({ kind: 'modelActivated', versionId: '7' }))?.change).toEqual({ kind: 'modelActivated', versionId: '7' });
  });

  it('ignores what is not a change (garbage, unknown kinds, wrong shapes)', () => {
    for (const raw of [
      'not json',
      'null',
      JSON.stringify({ origin: 'a', change: { kind: 'userEdges', userIds: ['u1'] } }), // no bookmarks
      JSON.stringify({ origin: 'a', change: { kind: 'userEdges', userIds: [1] }, bookmarks: [] }),
      JSON.stringify({ origin: 'a', change: { kind: 'itemsHidden', userIds: ['u1'] }, bookmarks: [] }),
      JSON.stringify({ origin: 'a', change: { kind: 'dropTables' }, bookmarks: [] }),
      JSON.stringify({ origin: 'a', change: { kind: 'modelActivated' }, bookmarks: [] }),
    ])
      expect(parseRelayedChange(raw)).toBeNull();
  });
});
