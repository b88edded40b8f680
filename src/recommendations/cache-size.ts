/**
 * Byte estimates of what the serving caches keep (ReadCache's `sizeOf`): typed arrays by their
 * byteLength, strings at two bytes a character plus a header, objects, arrays and set entries at a
 * fixed overhead. Estimates on the high side (V8 stores most ids in one byte a character), so a
 * byte bound holds in the heap too.
 */
import type { UserContext } from './recommendations.repository';

export const STRING_HEADER_BYTES = 16;
export const OBJECT_BYTES = 64;
export const SLOT_BYTES = 8;
/** A Set or Map entry (hash table slot and chain), not counting the key's own bytes. */
export const SET_ENTRY_BYTES = 40;

export const stringBytes = (s: string | null | undefined): number => (s == null ? 0 : STRING_HEADER_BYTES + 2 * s.length);

export const typedArrayBytes = (a: ArrayBufferView | null | undefined): number => (a ? OBJECT_BYTES + a.byteLength : 0);

/** A user's context as read from the graph: items, friends and each friend's item ids. */
export function userContextBytes(ctx: UserContext): number {
  let bytes = OBJECT_BYTES + stringBytes(ctx.fingerprint);
  bytes += OBJECT_BYTES + SLOT_BYTES * ctx.items.length;
  for (const i of ctx.items) bytes += OBJECT_BYTES + stringBytes(i.id) + stringBytes(i.title);
  bytes += OBJECT_BYTES + SLOT_BYTES * ctx.friends.length;
  for (const f of ctx.friends) {
    bytes += 2 * OBJECT_BYTES + stringBytes(f.id) + stringBytes(f.name) + SLOT_BYTES * f.items.length;
    for (const id of f.items) bytes += stringBytes(id);
  }
  return bytes;
}

/** A set of ids whose strings are counted elsewhere (the seen set shares the context's ids). */
export const sharedSetBytes = (size: number): number => OBJECT_BYTES + SET_ENTRY_BYTES * size;

/** A set that owns its id strings (the hidden items). */
export function ownedSetBytes(ids: Iterable<string>): number {
  let bytes = OBJECT_BYTES;
  for (const id of ids) bytes += SET_ENTRY_BYTES + stringBytes(id);
  return bytes;
}
