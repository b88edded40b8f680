import { createHash } from 'node:crypto';

/**
 * The opaque `id` of a computed result (a recommendation, a similar item, an explanation entry): the
 * type name and a hash of everything its per-request fields depend on, so a normalised client cache
 * (Apollo, Relay, urql) keeps apart what differs (two users, two filters, two model versions) and
 * merges only what is the same answer again. Stable: the same parts give the same id in every
 * process.
 */
export function resultId(type: string, parts: ReadonlyArray<string | number | boolean | null>): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
  return `${type}:${digest}`;
}
