import { badInput } from '../errors/domain-error';
import { pageInfoOf } from './page-info.type';

/** The version written into every cursor; bump it when a payload's meaning changes. */
const CURSOR_VERSION = 1;
/** Longer input is refused before decoding (a keyset cursor holds an id of up to 256 characters, at most ~2 KB encoded). */
const CURSOR_MAX_LENGTH = 4096;

/** The one error for a cursor this list cannot use: BAD_USER_INPUT INVALID_CURSOR on `field`. */
export const invalidCursor = (why: string, field = 'after') => badInput('INVALID_CURSOR', `${field}: ${why}`, [{ field, message: why }]);

/**
 * Opaque, versioned cursors for one list: base64url of `{"c":version,"l":list,"p":payload}`. A
 * cursor of another list, another version or not from this API is INVALID_CURSOR.
 */
export class CursorCodec<P> {
  constructor(
    private readonly list: string,
    private readonly isPayload: (p: unknown) => p is P,
  ) {}

  encode(payload: P): string {
    return Buffer.from(JSON.stringify({ c: CURSOR_VERSION, l: this.list, p: payload }), 'utf8').toString('base64url');
  }

  /** The payload of a cursor, or null without one. */
  decode(cursor: string | null | undefined, field = 'after'): P | null {
    if (cursor === null || cursor === undefined) return null;
    const env =
      cursor.length <= CURSOR_MAX_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)
        ? parse(Buffer.from(cursor, 'base64url').toString('utf8'))
        : null;
    const { c, l, p } = (env ?? {}) as { c?: unknown; l?: unknown; p?: unknown };
    if (c !== CURSOR_VERSION || l !== this.list || !this.isPayload(p)) throw invalidCursor(`not a cursor from ${this.list}`, field);
    return p;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A keyset cursor: the sort key (an id) of the last row shown. */
export const keysetCursor = (list: string) => new CursorCodec<string>(list, (p): p is string => typeof p === 'string');

/** An offset cursor: how many rows come before the next page. */
export const offsetCursor = (list: string) => new CursorCodec<number>(list, (p): p is number => Number.isInteger(p) && (p as number) >= 0);

/** A keyset page from `first + 1` rows (the extra row tells whether there is a next page); `after` was the request's cursor. */
export function keysetPage<T>(codec: CursorCodec<string>, rows: T[], first: number, key: (t: T) => string, after?: string | null) {
  const shown = rows.slice(0, first);
  const edges = shown.map((node) => ({ cursor: codec.encode(key(node)), node }));
  return { edges, pageInfo: pageInfoOf(edges, rows.length > first, after !== null && after !== undefined) };
}

/** An offset page: the rows shown from `offset` on; each edge's cursor is the offset of the row after it. */
export function offsetPage<T>(codec: CursorCodec<number>, shown: T[], offset: number, hasNextPage: boolean) {
  const edges = shown.map((node, n) => ({ cursor: codec.encode(offset + n + 1), node }));
  return { edges, pageInfo: pageInfoOf(edges, hasNextPage, offset > 0) };
}
