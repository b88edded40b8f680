import { attentionKey } from './artifacts';
import { pairAttention } from './pair-attention';

describe('pairAttention', () => {
  it('averages the two directions of a friendship and keeps a pair when either direction is kept', () => {
    const directed = new Map([
      [attentionKey('u2', 'u1'), { attention: 0.2, kept: false }],
      [attentionKey('u1', 'u2'), { attention: 0.6, kept: true }],
      [attentionKey('u3', 'u1'), { attention: 1, kept: false }],
    ]);
    const rows = pairAttention(directed).sort((x, y) => x.b.localeCompare(y.b));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ a: 'u1', b: 'u2', kept: true });
    expect(rows[0].attention).toBeCloseTo(0.4, 10);
    expect(rows[1]).toEqual({ a: 'u1', b: 'u3', attention: 1, kept: false });
  });
});
