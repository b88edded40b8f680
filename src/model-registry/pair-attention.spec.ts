import { attentionKey } from './artifacts';
import { pairAttention } from './pair-attention';

describe('pairAttention', () => {
  it('keeps both directions of a friendship apart, keyed from the lower id to the higher', () => {
    const directed = new Map([
      [attentionKey('u2', 'u1'), { attention: 0.2, kept: false }],
      [attentionKey('u1', 'u2'), { attention: 0.6, kept: true }],
      [attentionKey('u3', 'u1'), { attention: 1, kept: false }],
    ]);
    const rows = pairAttention(directed).sort((x, y) => x.b.localeCompare(y.b));
    expect(rows).toEqual([
      { a: 'u1', b: 'u2', ab: 0.6, ba: 0.2, keptAb: true, keptBa: false },
      // only u3 → u1 is known: the other direction stays empty rather than borrowing this one
      { a: 'u1', b: 'u3', ab: null, ba: 1, keptAb: false, keptBa: false },
    ]);
  });
});
