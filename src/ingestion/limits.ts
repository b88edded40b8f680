/** Input bounds shared by the GraphQL inputs and the bulk importer. */
export const ID_MAX = 256;
export const NAME_MAX = 512;
export const TITLE_MAX = 512;
export const TAGS_MAX = 50;
export const TAG_MAX = 64;
export const ATTRIBUTES_MAX_BYTES = 4096;
export const BATCH_MAX = 10_000;
/** Largest event or interaction weight accepted (finite, non-negative, bounded). */
export const WEIGHT_MAX = 1e6;
/** At most this many offending ids are listed in an UNKNOWN_IDS error. */
export const UNKNOWN_IDS_SHOWN = 100;
/** Printable, no control characters, no leading/trailing whitespace. */
export const ID_PATTERN = /^(?!\s)[^\u0000-\u001f\u007f]+(?<!\s)$/;
/** Tags: printable, no control characters, no leading/trailing whitespace. */
export const TAG_PATTERN = ID_PATTERN;

/** Why an id is invalid, or null when it is fine (shared by the importer and the services). */
export function idProblem(id: unknown): string | null {
  if (typeof id !== 'string') return 'must be a string';
  if (id.length === 0) return 'must not be empty';
  if (id.length > ID_MAX) return `longer than ${ID_MAX} characters`;
  if (!ID_PATTERN.test(id)) return 'must be printable characters without leading or trailing spaces';
  return null;
}

/** Why a weight is invalid, or null. */
export function weightProblem(w: number): string | null {
  return Number.isFinite(w) && w >= 0 && w <= WEIGHT_MAX ? null : `must be finite and between 0 and ${WEIGHT_MAX}`;
}
