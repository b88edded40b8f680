/** Input bounds shared by the GraphQL inputs and the bulk importer. */
export const ID_MAX = 256;
export const NAME_MAX = 512;
export const ATTRIBUTES_MAX_BYTES = 4096;
export const BATCH_MAX = 10_000;
/** Printable, no control characters, no leading/trailing whitespace. */
export const ID_PATTERN = /^(?!\s)[^\u0000-\u001f\u007f]+(?<!\s)$/;
