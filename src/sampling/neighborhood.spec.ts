import { frontierOf, perSeed, SampledNeighbor } from './neighborhood';

const n = (parent: string, id: string): SampledNeighbor => ({
  parent,
  parentKind: parent.startsWith('u') ? 'USER' : 'ITEM',
  id,
  kind: id.startsWith('u') ? 'USER' : 'ITEM',
  weight: 1,
  edge: 'INTERACTED',
});

describe('neighbourhood helpers', () => {
  it('de-duplicates the frontier in first-seen order', () => {
    expect(frontierOf([n('u1', 'i1'), n('u2', 'i1'), n('u2', 'i2')])).toEqual([
      { id: 'i1', kind: 'ITEM' },
      { id: 'i2', kind: 'ITEM' },
    ]);
  });

  it('splits shared-frontier hops into one tree per seed', () => {
    const hop1 = [n('u1', 'i1'), n('u2', 'i1'), n('u2', 'i2')];
    const hop2 = [n('i1', 'u3'), n('i2', 'u4')];
    const trees = perSeed(['u1', 'u2'], [hop1, hop2]);
    expect(trees.get('u1')).toEqual([[n('u1', 'i1')], [n('i1', 'u3')]]);
    expect(trees.get('u2')).toEqual([
      [n('u2', 'i1'), n('u2', 'i2')],
      [n('i1', 'u3'), n('i2', 'u4')],
    ]);
  });
});
