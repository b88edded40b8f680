import { badInput } from '../common/errors/domain-error';
import { PAGE_MAX, PAGE_MIN } from './limits';

/** Opaque keyset cursor: the sort key (an id), base64url-encoded. */
export const encodeCursor = (key: string): string => Buffer.from(`k:${key}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | null | undefined, field = 'after'): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith('k:')) throw badInput('INVALID_CURSOR', `${field}: not a cursor from this API`, [{ field, message: 'not a cursor from this API' }]);
  return text.slice(2);
}

export function checkFirst(first: number, field = 'first'): number {
  if (!Number.isInteger(first) || first < PAGE_MIN || first > PAGE_MAX) {
    throw badInput('VALIDATION_FAILED', `${field}: must be between ${PAGE_MIN} and ${PAGE_MAX}`, [
      { field, message: `must be between ${PAGE_MIN} and ${PAGE_MAX}` },
    ]);
  }
  return first;
}

/** Fetches first + 1 rows to know whether there is a next page. */
export function page<T>(rows: T[], first: number, key: (t: T) => string) {
  const shown = rows.slice(0, first);
  const edges = shown.map((node) => ({ cursor: encodeCursor(key(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
}
