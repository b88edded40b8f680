import { isInt, Integer } from 'neo4j-driver';

/** Converts a Neo4j Integer (or number) to a JS number, refusing values beyond 2^53. */
export function toNumber(value: unknown, field = 'value'): number {
  if (value === null || value === undefined) throw new Error(`${field} is missing`);
  if (isInt(value)) {
    const i = value as Integer;
    if (!i.inSafeRange()) throw new Error(`${field} ${i.toString()} is outside the safe integer range`);
    return i.toNumber();
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`${field} out of range`);
    return Number(value);
  }
  throw new Error(`${field} is not a number: ${typeof value}`);
}

export const toNumberOrNull = (value: unknown, field = 'value'): number | null =>
  value === null || value === undefined ? null : toNumber(value, field);
