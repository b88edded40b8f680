import { ServingModel } from '../../model-registry/model-store';
import { encodeRecCursor } from '../cursor';
import { MAX_DEPTH } from './ranking';
import { chooseModel, RecommendRequest, requestContext } from './request-context';

const serving = (id: string) => ({ version: { id, kind: 'SOCIALGCN' }, model: {} }) as unknown as ServingModel;
const req = (over: Partial<RecommendRequest> = {}): RecommendRequest => ({
  userId: 'u1',
  first: 10,
  model: 'ACTIVE',
  explain: false,
  ...over,
});

describe('chooseModel', () => {
  const active = serving('v-active');
  const store = { active: () => active, ofKind: async (kind: string) => (kind === 'SOCIALGCN' ? serving('v-social') : null) };

  it('ACTIVE is whatever is active, even none; a kind is its latest activated version', async () => {
    expect(await chooseModel(store, 'ACTIVE')).toBe(active);
    expect(await chooseModel({ ...store, active: () => null }, 'ACTIVE')).toBeNull();
    expect((await chooseModel(store, 'SOCIALGCN'))!.version.id).toBe('v-social');
  });

  it('a kind never trained is UNAVAILABLE NO_MODEL', async () => {
    await expect(chooseModel(store, 'LIGHTGCN')).rejects.toMatchObject({ category: 'UNAVAILABLE', reason: 'NO_MODEL' });
  });
});

describe('requestContext', () => {
  it('deduplicates and sorts the tag filters; cursors are tied to the version, or "popularity" without a model', () => {
    const c = requestContext(
      req({ filter: { includeTags: ['rock', 'jazz', 'rock'], excludeTags: ['live'], excludeItemIds: ['i2', 'i1', 'i2'] } }),
      serving('v1'),
    );
    expect(c).toMatchObject({ userId: 'u1', version: 'v1', include: ['jazz', 'rock'], exclude: ['live'], offset: 0, end: 10, need: 11 });
    expect([...c.excludeIds]).toEqual(['i2', 'i1']);
    expect(requestContext(req(), null).version).toBe('popularity');
  });

  it('the same filter in another order is the same query, so its cursors page it', () => {
    const a = requestContext(req({ filter: { includeTags: ['b', 'a'], excludeItemIds: ['y', 'x'] } }), null);
    const b = requestContext(req({ filter: { includeTags: ['a', 'b', 'a'], excludeItemIds: ['x', 'y'] } }), null);
    expect(b.query).toBe(a.query);
    expect(requestContext(req({ filter: { includeTags: ['a'] } }), null).query).not.toBe(a.query);
  });

  it('the page starts after the cursor and stops at MAX_DEPTH; one more slot tells whether a next page exists', () => {
    const { query } = requestContext(req(), serving('v1'));
    expect(requestContext(req({ first: 5, after: encodeRecCursor('v1', 5, query) }), serving('v1'))).toMatchObject({
      offset: 5,
      end: 10,
      need: 11,
    });
    expect(requestContext(req({ first: 20, after: encodeRecCursor('v1', 990, query) }), serving('v1'))).toMatchObject({
      offset: 990,
      end: MAX_DEPTH,
      need: 1001,
    });
  });

  it("another version's cursor is STALE_CURSOR, another query's INVALID_CURSOR", () => {
    const { query } = requestContext(req(), serving('v1'));
    expect(() => requestContext(req({ after: encodeRecCursor('v1', 3, query) }), serving('v2'))).toThrow(
      expect.objectContaining({ reason: 'STALE_CURSOR' }),
    );
    expect(() => requestContext(req({ userId: 'u2', after: encodeRecCursor('v1', 3, query) }), serving('v1'))).toThrow(
      expect.objectContaining({ reason: 'INVALID_CURSOR' }),
    );
  });
});
