import { createHash } from 'node:crypto';
import { badInput } from '../common/errors/domain-error';

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

const PREFIX = 'rec1:';

export function queryHash(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeRecCursor(version: string, offset: number, query: string): string {
  const body: CursorBody = { v: version, o: offset, q: query };
  return Buffer.from(PREFIX + JSON.stringify(body), 'utf8').toString('base64url');
}

const invalid = (why: string) => badInput('INVALID_CURSOR', `after: ${why}`, [{ field: 'after', message: why }]);

/** The offset a cursor stands for (0 without a cursor). */
export function decodeRecCursor(cursor: string | null | undefined, version: string, query: string): number {
  if (cursor === null || cursor === undefined) return 0;
  const text = /^[A-Za-z0-9_-]{1,512}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(PREFIX)) throw invalid('not a recommendations cursor from this API');
  let body: CursorBody;
  try {
    body = JSON.parse(text.slice(PREFIX.length)) as CursorBody;
  } catch {
    throw invalid('not a recommendations cursor from this API');
  }
  if (typeof body.v !== 'string' || typeof body.q !== 'string' || !Number.isInteger(body.o) || body.o < 0) throw invalid('not a recommendations cursor from this API');
  if (body.q !== query) throw invalid('the cursor belongs to another query (user, filter or model)');
  if (body.v !== version) {
    throw badInput('STALE_CURSOR', `after: the cursor was issued by model version ${body.v}, now ${version} serves; request the first page again`, [
      { field: 'after', message: 'issued by another model version' },
    ]);
  }
  return body.o;
}
