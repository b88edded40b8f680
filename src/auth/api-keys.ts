import { createHash, timingSafeEqual } from 'node:crypto';

/** What an app key may do. Admin is not a scope: admin operations take the ADMIN_TOKEN bearer token. */
export const SCOPES = ['read', 'write', 'delete'] as const;
export type Scope = (typeof SCOPES)[number];

/** One configured key: a name for logs, its scopes, and the sha256 of its secret (never the secret). */
export interface ApiKey {
  name: string;
  scopes: ReadonlySet<Scope>;
  hash: Buffer;
}

export const API_KEY_SHAPE = 'must look like name:read+write:<sha256 hex of the secret> (scopes: read, write, delete)';

/** The sha256 of a secret, the form it is configured in (`printf %s "$SECRET" | sha256sum`). */
export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** Parses one `name:scope+scope:sha256hex` entry; a string says what is wrong. */
export function parseApiKey(entry: string): ApiKey | string {
  const m = /^([A-Za-z0-9_.-]+):([a-z+]+):([0-9a-fA-F]{64})$/.exec(entry.trim());
  if (!m) return API_KEY_SHAPE;
  const scopes = m[2].split('+');
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) return `key ${m[1]}: unknown scope ${unknown.join(', ')} (scopes: ${SCOPES.join(', ')})`;
  return { name: m[1], scopes: new Set(scopes as Scope[]), hash: Buffer.from(m[3], 'hex') };
}

/**
 * Parses a key list: entries separated by commas or newlines, `#` starts a comment, blank lines are
 * skipped. Returns the keys, or the problems with their entry numbers (1-based lines for a file).
 */
export function parseApiKeys(text: string, separator: ',' | '\n'): { keys: ApiKey[] } | { errors: string[] } {
  const keys: ApiKey[] = [];
  const errors: string[] = [];
  text.split(separator).forEach((raw, i) => {
    const entry = raw.replace(/#.*$/, '').trim();
    if (!entry) return;
    const key = parseApiKey(entry);
    if (typeof key === 'string') errors.push(`${separator === '\n' ? 'line' : 'entry'} ${i + 1}: ${key}`);
    else keys.push(key);
  });
  const seen = new Set<string>();
  for (const k of keys) {
    const hex = k.hash.toString('hex');
    if (seen.has(hex)) errors.push(`key ${k.name}: the same secret is listed twice`);
    seen.add(hex);
  }
  return errors.length ? { errors } : { keys };
}

/**
 * The key whose secret was presented, or null. The presented secret is hashed, then compared with
 * every key's hash in constant time, with no early exit, so timing tells nothing about which key
 * (or how much of one) matched.
 */
export function findKey(keys: readonly ApiKey[], presented: string): ApiKey | null {
  const h = hashSecret(presented);
  let found: ApiKey | null = null;
  for (const k of keys) if (timingSafeEqual(h, k.hash) && !found) found = k;
  return found;
}
