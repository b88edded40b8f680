import { ServingModel } from '../../model-registry/model-store';
import { decodeRecCursor } from '../cursor';
import { Explanation } from './explanations';
import { pageWindow, recommendationPage } from './page';
import { MAX_DEPTH } from './ranking';

const slots = {
  ids: Array.from({ length: 10 }, (_, k) => `i${k}`),
  titles: Array.from({ length: 10 }, (_, k) => (k === 3 ? null : `T${k}`)),
  tags: Array.from({ length: 10 }, (_, k) => [`t${k}`]),
  isNew: Uint8Array.from({ length: 10 }, (_, k) => (k === 8 ? 1 : 0)),
};
const ranked = { slots: [5, 3, 8, 1], scores: [0.9, 0.8, 0.7, 0.6] };
const serving = { version: { id: 'v1', kind: 'LIGHTGCN' } } as unknown as ServingModel;
const req = { offset: 1, end: 3, version: 'v1', query: 'q1' };

describe('pageWindow', () => {
  it('the slots ranked offset + 1 .. end', () => {
    expect(pageWindow(ranked, req)).toEqual({ slots: [3, 8], scores: [0.8, 0.7] });
    expect(pageWindow(ranked, { offset: 4, end: 9 })).toEqual({ slots: [], scores: [] });
  });
});

describe('recommendationPage', () => {
  it('items with their rank and a cursor that resumes after them; a next page when the ranking goes on', () => {
    const page = recommendationPage(ranked, pageWindow(ranked, req), req, slots, null, 'FOLD_IN', serving);
    expect(page.items.map(({ cursor, ...item }) => item)).toEqual([
      { id: 'i3', title: null, tags: ['t3'], score: 0.8, rank: 2, isNew: false, explanation: null },
      { id: 'i8', title: 'T8', tags: ['t8'], score: 0.7, rank: 3, isNew: true, explanation: null },
    ]);
    expect(page.items.map((i) => decodeRecCursor(i.cursor, 'v1', 'q1'))).toEqual([2, 3]);
    expect(page).toMatchObject({
      hasNextPage: true,
      endCursor: page.items[1].cursor,
      path: 'FOLD_IN',
      modelVersionId: 'v1',
      modelKind: 'LIGHTGCN',
    });
  });

  it('explanations by page position; no next page at the end of the ranking or at MAX_DEPTH; an empty page has no end cursor', () => {
    const why = [{ sentence: 'a' }, { sentence: 'b' }] as Explanation[];
    const last = { ...req, offset: 2, end: 4 };
    const page = recommendationPage(ranked, pageWindow(ranked, last), last, slots, why, 'POPULAR', null);
    expect(page.items.map((i) => i.explanation)).toEqual(why);
    expect(page).toMatchObject({ hasNextPage: false, modelVersionId: null, modelKind: null });
    const deep = { slots: Array.from({ length: MAX_DEPTH + 1 }, (_, k) => k % 10), scores: new Array<number>(MAX_DEPTH + 1).fill(0) };
    expect(
      recommendationPage(deep, { slots: [], scores: [] }, { ...req, offset: MAX_DEPTH, end: MAX_DEPTH }, slots, null, 'FOLD_IN', serving),
    ).toMatchObject({
      items: [],
      hasNextPage: false,
      endCursor: null,
    });
  });
});
