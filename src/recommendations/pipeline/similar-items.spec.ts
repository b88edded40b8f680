import { ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView } from '../catalogue-build';
import { HydratedItem } from '../recommendations.repository';
import { rowNorms } from '../scoring';
import { HYDRATE_MARGIN, similarItems, similarSlots } from './similar-items';

// model items a = (1, 0), b = (1, 1), c = (0, 1); new items n1 = (2, 0), n2 without a tag vector
const itemEmb = Float32Array.from([1, 0, 1, 1, 0, 1]);
const model = {
  dim: 2,
  items: ['a', 'b', 'c'],
  itemIndex: new Map([
    ['a', 0],
    ['b', 1],
    ['c', 2],
  ]),
  itemEmb,
} as unknown as ModelArtifacts;
const ids = ['a', 'b', 'c', 'n1', 'n2'];
const view = (hidden: number[] = []) =>
  ({
    itemNorms: rowNorms(itemEmb, 2),
    slots: {
      ids,
      index: new Map(ids.map((id, k) => [id, k])),
      hidden: Uint8Array.from(ids, (_, k) => (hidden.includes(k) ? 1 : 0)),
      isNew: Uint8Array.from([0, 0, 0, 1, 1]),
      newVectors: [Float32Array.from([2, 0]), null],
    },
  }) as unknown as ModelView;

describe('similarSlots', () => {
  it('cosine to every other slot, nearest first; never the item itself nor a slot without a vector', () => {
    const s = similarSlots(model, view(), 'a', 1)!;
    expect(s.ranked).toEqual([3, 1, 2]); // n1: 1, b: 1/√2, c: 0
    expect(s.sims[0]).toBe(-Infinity);
    expect(s.sims[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(s.sims[4]).toBe(-Infinity);
  });

  it('hidden slots never; a new item is compared by its tag vector; one without a vector has no neighbours', () => {
    expect(similarSlots(model, view([1]), 'a', 5)!.ranked).toEqual([3, 2]);
    const fromNew = similarSlots(model, view(), 'n1', 5)!;
    expect(fromNew.ranked).toEqual([0, 1, 2]);
    expect(fromNew.sims[0]).toBe(1);
    expect(similarSlots(model, view(), 'n2', 5)).toBeNull();
  });

  it(`ranks ${HYDRATE_MARGIN} more candidates than asked, for the stale ones`, () => {
    const many = Array.from({ length: 30 }, (_, k) => `m${k}`);
    const emb = Float32Array.from(many.flatMap((_, k) => [1, k]));
    const big = { dim: 2, items: many, itemIndex: new Map(many.map((id, k) => [id, k])), itemEmb: emb } as unknown as ModelArtifacts;
    const v = {
      itemNorms: rowNorms(emb, 2),
      slots: { ids: many, index: new Map(many.map((id, k) => [id, k])), hidden: new Uint8Array(30), newVectors: [] },
    } as unknown as ModelView;
    expect(similarSlots(big, v, 'm0', 3)!.ranked).toHaveLength(3 + HYDRATE_MARGIN);
  });
});

describe('similarItems', () => {
  it('keeps the candidates that still exist and are not hidden now, with their current title and tags', () => {
    const candidates = similarSlots(model, view(), 'a', 2)!; // n1, b, c
    const hydrated = new Map<string, HydratedItem>([
      ['n1', { id: 'n1', title: 'New', tags: [], hidden: true }],
      ['b', { id: 'b', title: 'Bee', tags: ['x'], hidden: false }],
      ['c', { id: 'c', title: null, tags: [], hidden: false }],
    ]);
    const out = similarItems(candidates, view().slots, hydrated, 2);
    expect(out.map(({ similarity, ...rest }) => rest)).toEqual([
      { id: 'b', title: 'Bee', tags: ['x'], isNew: false },
      { id: 'c', title: null, tags: [], isNew: false },
    ]);
    expect(out[0].similarity).toBeCloseTo(Math.SQRT1_2, 6);
    expect(out[1].similarity).toBe(0);
    expect(similarItems(candidates, view().slots, new Map(), 2)).toEqual([]); // all deleted since
  });
});
