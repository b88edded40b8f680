import { createHash } from 'node:crypto';
import { badInput } from '../common/errors/domain-error';
import { CursorCodec, invalidCursor } from '../common/pagination/cursor';

/**
 * Recommendation cursors: an offset into one ranking, bound to the model version that produced it
 * and to the query (user, filter, model choice). A cursor from another model version is
 * STALE_CURSOR (the ranking it points into no longer exists: start again without `after`); a cursor
 * from another query or not from this API is INVALID_CURSOR.
 */
interface CursorBody {
  /** model version id, or `popularity` when no model served */
  v: string;
  /** number of ranked items before the next page */
  o: number;
  /** hash of the query the cursor belongs to */
  q: string;
}

const isBody = (b: unknown): b is CursorBody => {
  const { v, o, q } = (b ?? {}) as Partial<CursorBody>;
  return typeof v === 'string' && typeof q === 'string' && Number.isInteger(o) && o! >= 0;
};

const codec = new CursorCodec<CursorBody>('recommendations', isBody);

export function queryHash(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeRecCursor(version: string, offset: number, query: string): string {
  return codec.encode({ v: version, o: offset, q: query });
}

/** The offset a cursor stands for (0 without a cursor). */
export function decodeRecCursor(cursor: string | null | undefined, version: string, query: string): number {
  const body = codec.decode(cursor);
  if (body === null) return 0;
  if (body.q !== query) throw invalidCursor('the cursor belongs to another query (user, filter or model)');
  if (body.v !== version) {
    throw badInput(
      'STALE_CURSOR',
      `after: the cursor was issued by model version ${body.v}, now ${version} serves; request the first page again`,
      [{ field: 'after', message: 'issued by another model version' }],
    );
  }
  return body.o;
}

/** similarItems cursors: an offset into one item's neighbour list, bound to the model version and the seed item. */
interface SimilarBody {
  v: string;
  o: number;
  s: string;
}
const similarCodec = new CursorCodec<SimilarBody>('similarItems', (b: unknown): b is SimilarBody => {
  const { v, o, s } = (b ?? {}) as Partial<SimilarBody>;
  return typeof v === 'string' && typeof s === 'string' && Number.isInteger(o) && o! >= 0;
});

export function encodeSimilarCursor(version: string, offset: number, seed: string): string {
  return similarCodec.encode({ v: version, o: offset, s: seed });
}

/** The offset a similarItems cursor stands for (0 without one). */
export function decodeSimilarCursor(cursor: string | null | undefined, version: string, seed: string): number {
  const body = similarCodec.decode(cursor);
  if (body === null) return 0;
  if (body.s !== seed) throw invalidCursor('the cursor belongs to another item');
  if (body.v !== version) {
    throw badInput(
      'STALE_CURSOR',
      `after: the cursor was issued by model version ${body.v}, now ${version} serves; request the first page again`,
      [{ field: 'after', message: 'issued by another model version' }],
    );
  }
  return body.o;
}
