import { ModelArtifacts } from '../../model-registry/artifacts';
import { ModelView } from '../catalogue-build';
import { rowNorms } from '../scoring';
import { slotCosine, slotNorm, slotVector, vectorNorm } from './item-vectors';

// model items a = (3, 4), b = (1, 0); new items n1 = (0, 2) and n2 (no tag shared with the model)
const itemEmb = Float32Array.from([3, 4, 1, 0]);
const model = { dim: 2, items: ['a', 'b'], itemEmb } as unknown as ModelArtifacts;
const view = { itemNorms: rowNorms(itemEmb, 2), slots: { newVectors: [Float32Array.from([0, 2]), null] } } as unknown as ModelView;

describe('slot vectors', () => {
  it("a model item is a row of the model's matrix, a new item its tag vector, or nothing", () => {
    expect(slotVector(model, view, 1)).toEqual({ vec: itemEmb, off: 2 });
    expect(slotVector(model, view, 2)).toEqual({ vec: Float32Array.from([0, 2]), off: 0 });
    expect(slotVector(model, view, 3)).toBeNull();
  });

  it('norms: the view’s for model items, computed for new ones, 0 without a vector', () => {
    expect([0, 1, 2, 3].map((k) => slotNorm(model, view, k))).toEqual([5, 1, 2, 0]);
    expect(vectorNorm(itemEmb, 0, 2)).toBe(5);
  });

  it('cosine to a slot: model items, new items; -Infinity without a vector; 0 against a zero vector', () => {
    const x = Float32Array.from([1, 0]);
    const cosine = slotCosine(model, view);
    expect(cosine(x, 0, 1, 0)).toBeCloseTo(0.6, 6);
    expect(cosine(x, 0, 1, 1)).toBe(1);
    expect(cosine(x, 0, 1, 2)).toBe(0);
    expect(cosine(x, 0, 1, 3)).toBe(-Infinity);
    expect(cosine(Float32Array.from([0, 0]), 0, 0, 0)).toBe(0);
  });
});
